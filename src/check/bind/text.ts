import {
  ARTIFACTS_PATH,
  CONTEXT_PATH,
  NAME_INPUT,
  RUN_ARTIFACTS_PATH,
  RUN_OUTPUTS_PATH,
  UUID_VARIABLE,
} from '../../argo/contract.js';
import {
  concat,
  emptiable,
  environment,
  expression,
  expressionOf,
  join,
  literal,
  variable,
  type ArgoText,
} from '../../argo/text.js';
import type { ConnectionCatalog } from '../../resolve/connection-catalog.js';
import type { IO } from '../../schema/io.js';
import { isJinjaError, parseTemplate, type JinjaExpression } from './jinja.js';
import { isProjectGlobal, PROJECT_GLOBAL_NAMES } from './project.js';

/** What a template's text may name. */
export interface TextNames {
  /** The component's inputs, by name. */
  inputs: ReadonlyMap<string, IO>;
  /** Context-only params: template inputs without an IO declaration. */
  contextParams?: ReadonlySet<string>;
  /** The component's outputs, which its text may not read. */
  outputs?: ReadonlySet<string>;
  /** The connections catalog (`--connections`), for `{{ connections.NAME.KEY }}`. */
  connections?: ConnectionCatalog | undefined;
  /** Connections attached to the run (`run.connections`), the ones templates may read. */
  attachedConnections?: readonly string[];
  /** `{{ globals.project_name }}` and its kin, as workflow parameters; none where absent. */
  projectGlobal?: ((key: string) => ArgoText | TextError) | undefined;
}

/**
 * Jinja in a template's strings (command, args, env, image, init items…) → Argo text over the
 * template's input parameters (spec §5.7): `{{ lr }}` reads the input `lr`, `isFlag` and
 * `as_arg` become expressions, `{{ globals.* }}` and `{{ connections.NAME.KEY }}` their values.
 * It records which runtime paths were read, so the template mounts the volumes that make them exist.
 */
export class TextScope {
  usesOutputsPath = false;
  usesContextPath = false;
  /** `{{ globals.uuid }}`: the containers define the uuid variable. */
  usesUuid = false;
  /** `{{ globals.name }}`: the template takes the operation's name as an input. */
  usesName = false;

  constructor(private readonly names: TextNames) {}

  /** Translated text, or why it cannot be. */
  translate(text: string, form: RenderForm = 'python'): ArgoText | TextError {
    const parts = parseTemplate(text);
    if (isJinjaError(parts)) return { error: parts.error };
    // Polyaxon reads an env value that is one value back as JSON; one with text around stays text.
    const used = parts.length === 1 && parts[0]?.kind === 'block' ? form : 'python';
    const out: ArgoText[] = [];
    for (const part of parts) {
      if (part.kind === 'text') {
        out.push(literal(part.text));
        continue;
      }
      const piece = this.block(part.expression, part.source, used);
      if ('error' in piece) return piece;
      out.push(piece);
    }
    return concat(...out);
  }

  private block(expression: JinjaExpression, source: string, form: RenderForm): ArgoText | TextError {
    if (expression.kind === 'number') return literal(String(expression.value));
    if (expression.kind !== 'reference')
      return {
        error: `\`{{ ${source} }}\` is a Jinja expression that cannot be translated to Argo here: only references such as \`{{ lr }}\`, \`{{ params.lr.as_arg }}\` or \`{{ globals.uuid }}\` can`,
      };
    const path = expression.path;
    const [head, second, third] = path;
    const dotted = path.join('.');
    if (path.length === 1 && head !== undefined) {
      const io = this.names.inputs.get(head);
      if (io) return io.isFlag ? flag(head) : inputText(io, form);
      // A context-only param has no declared type: its value may be anything, `''` too.
      if (this.names.contextParams?.has(head)) return emptiable(parameter(head));
      if (this.names.outputs?.has(head))
        return {
          error: `\`{{ ${head} }}\` reads the output \`${head}\`, which the job produces`,
          hint: `write it to the file \`{{ globals.run_outputs_path }}/${head}\``,
        };
      if (head === 'outputs_path') return this.path(RUN_OUTPUTS_PATH, 'outputs');
      return {
        error: `\`{{ ${head} }}\` is not an input or param of this component (Polyaxon would render it empty)`,
        hint: this.names.inputs.size
          ? `inputs: ${[...this.names.inputs.keys()].join(', ')}`
          : 'declare it under `inputs:`, or pass it as a `contextOnly` param',
      };
    }
    if (head === 'params' && second !== undefined) {
      if (second === 'as_args' && path.length === 2) {
        const args: ArgoText[] = [];
        for (const io of this.names.inputs.values()) {
          const arg = this.asArg(io);
          if ('error' in arg) return arg;
          args.push(arg);
        }
        return join(args, ' ');
      }
      const io = this.names.inputs.get(second);
      if ((!io && !this.names.contextParams?.has(second)) || path.length !== 3)
        return { error: `\`{{ ${dotted} }}\` does not name a param of this component` };
      if (third === 'value' || third === 'as_str') return io ? inputText(io, 'python') : emptiable(parameter(second));
      if (third === 'as_arg') return io ? this.asArg(io) : concat(literal(`--${second}=`), parameter(second));
      if (third === 'type') return literal(io?.type ?? '');
      if (third === 'connection') return literal(io?.connection ?? '');
      return { error: `\`{{ ${dotted} }}\`: a param has value, as_str, as_arg, type and connection` };
    }
    if (head === 'globals' && path.length === 2 && second !== undefined) {
      if (this.names.projectGlobal && isProjectGlobal(second)) return this.names.projectGlobal(second);
      const global = JOB_GLOBALS[second];
      if (global === undefined)
        return {
          error: `\`{{ globals.${second} }}\` has no equivalent in Argo`,
          hint: `available: ${[...Object.keys(JOB_GLOBALS), ...(this.names.projectGlobal ? PROJECT_GLOBAL_NAMES : [])].join(', ')}`,
        };
      if (typeof global === 'string')
        return this.path(global, global.startsWith(RUN_OUTPUTS_PATH) ? 'outputs' : 'context');
      if (second === 'uuid') this.usesUuid = true;
      if (second === 'name') this.usesName = true;
      return global;
    }
    if (head === 'connections' && path.length === 3 && second !== undefined && third !== undefined) {
      const connection = this.names.connections?.byName.get(second);
      if (!connection)
        return {
          error: `\`{{ ${dotted} }}\` reads connection \`${second}\`, which is not in the connections catalog`,
          hint: this.names.connections
            ? `catalog connections: ${[...this.names.connections.byName.keys()].join(', ')}`
            : 'pass the catalog with `--connections FILE`',
        };
      if (!this.names.attachedConnections?.includes(second))
        return {
          error: `\`{{ ${dotted} }}\` reads connection \`${second}\`, which this run does not attach`,
          hint: `add \`${second}\` to \`run.connections\``,
        };
      const value = connection.schema?.[third];
      if (value === undefined)
        return {
          error: `connection \`${second}\` has no schema field \`${third}\``,
          hint: `its fields: ${Object.keys(connection.schema ?? {}).join(', ') || 'none'}`,
        };
      return literal(typeof value === 'string' ? value : JSON.stringify(value));
    }
    if (head === 'inputs' || head === 'outputs' || head === 'dag' || head === 'ops')
      return {
        error: `Polyaxon has no \`{{ ${dotted} }}\`: templates read params by their bare name`,
        hint:
          head === 'inputs' && second
            ? `write \`{{ ${second} }}\``
            : 'pass the value in as a param (with `ref:`) and use `{{ NAME }}`',
      };
    return { error: `\`{{ ${dotted} }}\` cannot be translated to Argo` };
  }

  /** `params.NAME.as_arg` (spec §5.8): `--NAME=VALUE`, `argFormat` rendered, nothing for null or false flags. */
  private asArg(io: IO): ArgoText | TextError {
    if (io.isFlag) return flag(io.name);
    const nullable = io.isOptional === true && (io.value === null || io.value === undefined);
    if (io.argFormat !== undefined) {
      if (nullable)
        return {
          error: `\`argFormat\` of the optional input \`${io.name}\` with no default cannot be rendered conditionally in Argo`,
          hint: 'give the input a default value',
        };
      // argFormat is rendered with the input as its only name (spec §5.8).
      const scoped = new TextScope({ inputs: new Map([[io.name, { ...io, isFlag: false }]]) });
      return scoped.translate(io.argFormat);
    }
    if (!nullable) return concat(literal(`--${io.name}=`), inputText(io, 'json'));
    const value = expressionOf(`inputs.parameters.${io.name}`);
    return emptiable(expression(`${value} == '' ? '' : '--${io.name}=' + ${value}`));
  }

  private path(value: string, volume: 'outputs' | 'context'): ArgoText {
    if (volume === 'outputs') this.usesOutputsPath = true;
    else this.usesContextPath = true;
    return literal(value);
  }
}

export interface TextError {
  error: string;
  hint?: string;
}

/** `{{inputs.parameters.NAME}}`. Polyaxon IO names are valid Argo parameter names as they are. */
export const parameter = (name: string): ArgoText => variable(`inputs.parameters.${name}`);

/**
 * How a rendered value is written. Polyaxon's Jinja writes `{{ NAME }}` into a command line as
 * Python's `str()` does (`True`), which is how a parameter carries a boolean (`parameterText`);
 * it writes `as_arg` and an env value that is one value as JSON (`true`).
 */
export type RenderForm = 'python' | 'json';

/** An input's value as `form` writes it: a boolean's text lowercased for JSON. */
export const inputText = (io: IO, form: RenderForm): ArgoText => {
  const text =
    form === 'json' && io.type === 'bool'
      ? expression(`sprig.lower(${expressionOf(`inputs.parameters.${io.name}`)})`)
      : parameter(io.name);
  return mayBeEmpty(io) ? emptiable(text) : text;
};

/** Types whose value always renders as some text: a number, `True`/`False`, `[]`, `{}`. */
const NEVER_EMPTY_TYPES = new Set(['int', 'float', 'bool', 'list', 'dict']);

/** Whether an input's value can render empty: a string (or untyped) value can be `''`, a left-out optional one is. */
const mayBeEmpty = (io: IO): boolean => io.isOptional === true || !NEVER_EMPTY_TYPES.has(io.type ?? '');

/** The words Polyaxon reads as true (spec §4.2 `bool`), for values that arrive as text. */
export const TRUE_WORDS = ['true', '1', 'yes', 'on', 't', 'y'];

/** An Argo expression: is this text one of Polyaxon's true words? */
export const isTrueExpression = (value: string): string =>
  `sprig.lower(sprig.trim(${value})) in [${TRUE_WORDS.map((w) => `'${w}'`).join(', ')}]`;

/** isFlag: `--NAME` when true, nothing when false (spec §5.8). */
const flag = (name: string): ArgoText =>
  emptiable(expression(`${isTrueExpression(expressionOf(`inputs.parameters.${name}`))} ? '--${name}' : ''`));

/** `{{ globals.KEY }}` inside a job's container (its own run): a path, or Argo text. */
export const JOB_GLOBALS: Record<string, string | ArgoText> = {
  uuid: environment(UUID_VARIABLE),
  name: variable(`inputs.parameters.${NAME_INPUT}`),
  namespace: variable('workflow.namespace'),
  created_at: variable('workflow.creationTimestamp'),
  context_path: CONTEXT_PATH,
  artifacts_path: ARTIFACTS_PATH,
  run_artifacts_path: RUN_ARTIFACTS_PATH,
  run_outputs_path: RUN_OUTPUTS_PATH,
  run_relative_outputs_path: literal('run/outputs'),
};
