import type { IO } from '../schema/io.js';
import type { ConnectionCatalog } from './connections.js';
import { JOB_GLOBALS } from './globals.js';
import { isJinjaError, literalProblem, parseTemplate } from './jinja.js';
import { encodeBraces, encodingProblem, escapeDollars } from './literal-braces.js';
import { CONTEXT_PATH, RUN_OUTPUTS_PATH } from './runtime-paths.js';

/**
 * Translates Jinja in a job's strings (command, args, env, image, working dir) into Argo
 * tags over the template's input parameters. Records which runtime paths were used, so the
 * template mounts the volumes that make them exist.
 */
export class TemplateText {
  usesOutputsPath = false;
  usesContextPath = false;

  constructor(
    private readonly inputs: ReadonlyMap<string, IO>,
    /** Context-only params: template inputs without an IO declaration. */
    private readonly contextParams: ReadonlySet<string>,
    private readonly outputs: ReadonlySet<string>,
    private readonly connections: ConnectionCatalog | undefined,
    /** Connections attached to the run (`run.connections`), the ones templates may read. */
    private readonly attachedConnections: readonly string[],
  ) {}

  /**
   * Translated text, or an error message. `delivery` says where the text ends up, which decides
   * how literal `{{` can reach it (see literal-braces.ts).
   */
  translate(text: string, delivery: Delivery = 'argv'): string | TextError {
    const parts = parseTemplate(text);
    if (isJinjaError(parts)) return { error: parts.error };
    let out = '';
    for (const part of parts) {
      const piece = part.kind === 'text' ? literal(part.text, delivery) : this.resolve(part.path, delivery);
      if (typeof piece !== 'string') return piece;
      out += piece;
    }
    return out;
  }

  private resolve(path: string[], delivery: Delivery): string | TextError {
    const [head, second, third] = path;
    const dotted = path.join('.');
    if (path.length === 1) {
      const name = head!;
      const io = this.inputs.get(name);
      if (io) return io.isFlag ? flagExpression(name) : parameter(name);
      if (this.contextParams.has(name)) return parameter(name);
      if (this.outputs.has(name))
        return {
          error: `\`{{ ${name} }}\` reads the output \`${name}\`, which the job produces`,
          hint: `write it to the file \`{{ globals.run_outputs_path }}/${name}\``,
        };
      if (name === 'outputs_path') return this.path(RUN_OUTPUTS_PATH, 'outputs');
      return {
        error: `\`{{ ${name} }}\` is not an input or param of this component (Polyaxon would render it empty)`,
        hint: this.inputs.size
          ? `inputs: ${[...this.inputs.keys()].join(', ')}`
          : 'declare it under `inputs:`, or pass it as a `contextOnly` param',
      };
    }
    if (head === 'params') {
      if (second === 'as_args' && path.length === 2) {
        const args: string[] = [];
        for (const io of this.inputs.values()) {
          const arg = this.asArg(io);
          if (typeof arg !== 'string') return arg;
          args.push(arg);
        }
        return args.join(' ');
      }
      const io = this.inputs.get(second ?? '');
      const known = io !== undefined || this.contextParams.has(second ?? '');
      if (!known || path.length !== 3) return { error: `\`{{ ${dotted} }}\` does not name a param of this component` };
      if (third === 'value' || third === 'as_str') return parameter(second!);
      if (third === 'as_arg') return io ? this.asArg(io) : `--${second}=${parameter(second!)}`;
      if (third === 'type') return io?.type ?? '';
      if (third === 'connection') return literal(io?.connection ?? '', delivery);
      return { error: `\`{{ ${dotted} }}\`: a param has value, as_str, as_arg, type and connection` };
    }
    if (head === 'globals' && path.length === 2) {
      const value = JOB_GLOBALS[second!];
      if (value === undefined)
        return {
          error: `\`{{ globals.${second} }}\` has no equivalent in Argo`,
          hint: `available: ${Object.keys(JOB_GLOBALS).join(', ')}`,
        };
      if (value.startsWith(CONTEXT_PATH))
        return this.path(value, value.startsWith(RUN_OUTPUTS_PATH) ? 'outputs' : 'context');
      return value;
    }
    if (head === 'connections' && path.length === 3) {
      const connection = this.connections?.byName.get(second!);
      if (!connection)
        return {
          error: `\`{{ ${dotted} }}\` reads connection \`${second}\`, which is not in the connections catalog`,
          hint: this.connections
            ? `catalog connections: ${[...this.connections.byName.keys()].join(', ')}`
            : 'pass the catalog with `--connections FILE`',
        };
      if (!this.attachedConnections.includes(second!))
        return {
          error: `\`{{ ${dotted} }}\` reads connection \`${second}\`, which this run does not attach`,
          hint: `add \`${second}\` to \`run.connections\``,
        };
      const value = connection.schema?.[third!];
      if (value === undefined)
        return {
          error: `connection \`${second}\` has no schema field \`${third}\``,
          hint: `its fields: ${Object.keys(connection.schema ?? {}).join(', ') || 'none'}`,
        };
      return literal(typeof value === 'string' ? value : JSON.stringify(value), delivery);
    }
    if (head === 'inputs' || head === 'outputs' || head === 'dag' || head === 'ops') {
      return {
        error: `Polyaxon has no \`{{ ${dotted} }}\`: templates read params by their bare name`,
        hint:
          head === 'inputs' && second
            ? `write \`{{ ${second} }}\``
            : 'pass the value in as a param (with `ref:`) and use `{{ NAME }}`',
      };
    }
    return { error: `\`{{ ${dotted} }}\` cannot be translated to Argo` };
  }

  /** `params.NAME.as_arg` (spec §5.8): `--NAME=VALUE`, `argFormat` rendered, nothing for null or false flags. */
  private asArg(io: IO): string | TextError {
    if (io.isFlag) return flagExpression(io.name);
    const nullable = io.isOptional === true && (io.value === null || io.value === undefined);
    if (io.argFormat !== undefined) {
      if (nullable)
        return {
          error: `\`argFormat\` of the optional input \`${io.name}\` with no default cannot be rendered conditionally in Argo`,
          hint: 'give the input a default value',
        };
      // argFormat is rendered with the input as its only name (spec §5.8).
      const scoped = new TemplateText(
        new Map([[io.name, { ...io, isFlag: false }]]),
        new Set(),
        new Set(),
        undefined,
        [],
      );
      return scoped.translate(io.argFormat);
    }
    if (!nullable) return `--${io.name}=${parameter(io.name)}`;
    return `{{=${expressionOf(io.name)} == '' ? '' : '--${io.name}=' + ${expressionOf(io.name)}}}`;
  }

  private path(value: string, volume: 'outputs' | 'context'): string {
    if (volume === 'outputs') this.usesOutputsPath = true;
    else this.usesContextPath = true;
    return value;
  }
}

/**
 * Where translated text goes. `argv`: a container's command, args or env value, which
 * Kubernetes expands; `file`: the same, but the text is a file's content, so a `$` the user
 * wrote must stay a `$`; `verbatim`: anywhere else (image, working dir), where nothing decodes.
 */
export type Delivery = 'argv' | 'file' | 'verbatim';

export interface TextError {
  error: string;
  hint?: string;
}

/** User text, made safe from Argo for where it goes. */
function literal(text: string, delivery: Delivery): string | TextError {
  if (!text.includes('{{')) return delivery === 'file' ? escapeDollars(text) : text;
  if (delivery === 'verbatim')
    return { error: literalProblem(text)!, hint: 'braces can reach a container only through its command, args or env' };
  if (delivery === 'file') return encodeBraces(escapeDollars(text));
  const problem = encodingProblem(text);
  return problem ? { error: problem, hint: 'write `$$(` for a literal `$(`' } : encodeBraces(text);
}

/** `{{inputs.parameters.NAME}}`. Polyaxon IO names are valid Argo parameter names as they are. */
export const parameter = (name: string): string => `{{inputs.parameters.${name}}}`;

/** An expression tag reading an input, with bracket syntax so names with `-` work. */
const expressionOf = (name: string): string => `inputs.parameters['${name}']`;

/** isFlag: `--NAME` when true, nothing when false (spec §5.8). */
export const flagExpression = (name: string): string => `{{=${expressionOf(name)} == 'true' ? '--${name}' : ''}}`;
