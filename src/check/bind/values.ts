import { concat, encodedValueOf, literal, variable, type ArgoText } from '../../argo/text.js';
import type { BoundTemplate } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { LocatedParam, ResolvedOperation } from '../../resolve/model.js';
import type { IO } from '../../schema/io.js';
import { isTemplate } from '../../schema/primitives.js';
import { parseRef, parseRefValue } from '../refs.js';
import { coerce } from '../values/coerce.js';
import type { BindContext } from './context.js';
import { parameterText } from './inputs.js';
import { isJinjaError, paramNameOf, parseTemplate } from './jinja.js';

/** An operation of the dag being bound, as the params of other operations may read it. */
export interface Upstream {
  task: string;
  template: BoundTemplate;
}

/** What a param may point at inside the dag being bound (none for the top operation). */
export interface ValueScope {
  /** The enclosing dag's input names (`ref: dag, value: inputs.X`). */
  dagInputs: ReadonlySet<string>;
  operation(name: string): Upstream | undefined;
  /** The value a dag operation passes for one of its inputs (`ref: ops.X, value: inputs.Y`). */
  inputOf(name: string, input: string): ArgoText | undefined;
  /** The declarations behind references, for the types conditions compare by. */
  dagInputType(name: string): IO | undefined;
  outputType(operation: string, output: string): IO | undefined;
}

/** `ref: dag, value: globals.KEY`: the workflow run. */
export const DAG_GLOBALS: Record<string, string> = {
  uuid: 'workflow.uid',
  name: 'workflow.name',
  namespace: 'workflow.namespace',
  created_at: 'workflow.creationTimestamp',
  status: 'workflow.status',
  duration: 'workflow.duration',
};

/** `ref: ops.X, value: globals.KEY`: task X of the same DAG. */
const TASK_GLOBALS: Record<string, string> = {
  uuid: 'id',
  status: 'status',
  started_at: 'startedAt',
  finished_at: 'finishedAt',
};

/**
 * A param → the text of the Argo argument its task passes: a literal (coerced to its input's
 * type, then written as parameter text), a reference to another task's output, the dag's input
 * or a global, or a template rendered from the operation's other params. Undefined when Argo
 * cannot express it (reported at the param).
 */
export function bindValue(
  located: LocatedParam,
  io: IO | undefined,
  op: ResolvedOperation,
  scope: ValueScope | undefined,
  context: BindContext,
): ArgoText | undefined {
  const { param } = located;
  if (param.ref !== undefined) return refValue(located, scope, context);
  if (isTemplate(param.value)) return templatedValue(located, op, scope, context, new Set());
  const coerced = io ? coerce(io.type, param.value, io.isList) : undefined;
  return context.encodable(parameterText(coerced?.ok ? coerced.value : param.value, io?.type), 'argv', located, [
    ...located.path,
    'value',
  ]);
}

function refValue(located: LocatedParam, scope: ValueScope | undefined, context: BindContext): ArgoText | undefined {
  const { ref, value } = located.param;
  const at: Path = [...located.path, 'value'];
  const fail = (message: string, hint?: string, where: Path = at) => {
    context.unsupported(located, where, message, hint);
    return undefined;
  };
  if (ref === undefined || typeof value !== 'string') return undefined; // reported by the params rule
  const parsedRef = parseRef(ref);
  if ('error' in parsedRef) return undefined; // reported by the params rule
  if (parsedRef.kind === 'runs')
    return fail(
      `\`ref: ${ref}\` reads a run outside this workflow, which Argo cannot look up`,
      'pass the value itself',
      [...located.path, 'ref'],
    );
  if (!scope) return fail(`\`ref: ${ref}\` needs an enclosing dag`);
  const read = parseRefValue(value, parsedRef);
  if ('error' in read) return undefined;
  const { section, key } = read;
  if (parsedRef.kind === 'dag') {
    if (section === 'inputs' && key !== undefined && scope.dagInputs.has(key))
      return variable(`inputs.parameters.${key}`);
    const global = section === 'globals' && key !== undefined ? DAG_GLOBALS[key] : undefined;
    if (global) return variable(global);
    return fail(
      `\`${value}\` of the dag has no Argo equivalent`,
      section === 'globals'
        ? `available dag globals: ${Object.keys(DAG_GLOBALS).join(', ')}`
        : 'read a single input: `value: inputs.NAME`',
    );
  }
  const upstream = scope.operation(parsedRef.name);
  if (!upstream) return undefined; // unknown operation: reported by the checks
  if (section === 'outputs' && key !== undefined) {
    if (upstream.template.kind === 'matrix')
      return fail(
        `\`${parsedRef.name}\` fans out over a matrix: it has one \`${key}\` per run, not one value`,
        'read it with a `joins` query, or remove the matrix',
      );
    if (upstream.template.kind === 'dag')
      return fail(
        `\`${parsedRef.name}\` is a dag: a dag has no outputs of its own in Argo`,
        'read the output from the operation inside that dag that produces it',
      );
    return encodedValueOf(`tasks.${upstream.task}.outputs.parameters.${key}`);
  }
  if (section === 'inputs' && key !== undefined)
    return scope.inputOf(parsedRef.name, key) ?? fail(`\`${parsedRef.name}\` gives no value for its input \`${key}\``);
  if (section === 'globals' && key !== undefined) {
    if (key === 'name') return literal(parsedRef.name);
    if (key === 'namespace') return variable('workflow.namespace');
    const field = TASK_GLOBALS[key];
    if (field) return variable(`tasks.${upstream.task}.${field}`);
    return fail(
      `\`globals.${key}\` of another operation has no Argo equivalent`,
      'Argo exposes uuid, name, status, started_at, finished_at and namespace of a task',
    );
  }
  return fail(
    `\`${value}\` of operation \`${parsedRef.name}\` has no Argo equivalent`,
    'read a single output (`outputs.NAME`), input or global',
  );
}

/**
 * A param value that is itself a template, e.g. `"{{ epochs }}"` or `"s3://bucket/{{ run }}"`:
 * Polyaxon renders it with the operation's other params; so do we.
 */
function templatedValue(
  located: LocatedParam,
  op: ResolvedOperation,
  scope: ValueScope | undefined,
  context: BindContext,
  seen: ReadonlySet<string>,
): ArgoText | undefined {
  const at: Path = [...located.path, 'value'];
  const parts = parseTemplate(String(located.param.value));
  if (isJinjaError(parts)) {
    context.report(located, at, 'untranslatable-template', parts.error, { anchor: 'value' });
    return undefined;
  }
  const out: ArgoText[] = [];
  for (const part of parts) {
    if (part.kind === 'text') {
      out.push(literal(part.text));
      continue;
    }
    const path = part.expression.kind === 'reference' ? part.expression.path : [];
    const name = paramNameOf(path);
    const other = name !== undefined && name !== located.name && !seen.has(name) ? op.params.get(name) : undefined;
    if (!other) {
      context.report(
        located,
        at,
        'untranslatable-template',
        `\`{{ ${part.source} }}\` in a param value must name another param of operation \`${op.name}\` (Polyaxon would render it empty)`,
        { anchor: 'value', hint: 'pass the value directly, or through a `contextOnly` param' },
      );
      return undefined;
    }
    const value =
      isTemplate(other.param.value) && other.param.ref === undefined
        ? templatedValue(other, op, scope, context, new Set([...seen, located.name]))
        : bindValue(other, undefined, op, scope, context);
    if (value === undefined) return undefined;
    out.push(value);
  }
  return context.encodable(concat(...out), 'argv', located, at);
}
