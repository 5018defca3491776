import { parseRef, parseRefValue } from '../check/refs.js';
import { coerce } from '../check/values/coerce.js';
import type { Path } from '../parse/source.js';
import type { LocatedParam, ResolvedOperation } from '../resolve/model.js';
import type { IO } from '../schema/io.js';
import { isTemplate } from '../schema/primitives.js';
import type { LowerContext } from './context.js';
import { DAG_GLOBALS, taskGlobal } from './globals.js';
import { isJinjaError, parseTemplate } from './jinja.js';
import { encodeBraces, encodedTaskOutput, encodingProblem } from './literal-braces.js';
import { toParameterString } from './values.js';

/** What a param's argument may point at inside the DAG being built. */
export interface ArgumentScope {
  /** The DAG's own input names (`ref: dag, value: inputs.X`). */
  dagInputs: ReadonlySet<string>;
  /** Argo task name of a dag operation, if it exists and can be read from. */
  task(name: string): { task: string; fanOut: boolean; nestedDag: boolean } | undefined;
  /** The argument a dag operation passes for one of its inputs (`ref: ops.X, value: inputs.Y`). */
  inputOf(name: string, input: string): string | undefined;
}

/**
 * A param → the text of an Argo argument: a literal (coerced to its IO type, then
 * stringified), or a tag reading another task's output, the DAG's input, or a global.
 */
export function argumentValue(
  located: LocatedParam,
  io: IO | undefined,
  op: ResolvedOperation,
  scope: ArgumentScope | undefined,
  context: LowerContext,
): string | undefined {
  const { param } = located;
  if (param.ref !== undefined) return refArgument(located, scope, context);
  if (isTemplate(param.value)) return templatedArgument(located, op, scope, context);
  const coerced = io ? coerce(io.type, param.value, io.isList) : { ok: true as const, value: param.value };
  const value = coerced.ok ? coerced.value : param.value;
  if (!encodable(located, typeof value === 'string' ? value : JSON.stringify(value), context)) return undefined;
  return toParameterString(value);
}

function refArgument(
  located: LocatedParam,
  scope: ArgumentScope | undefined,
  context: LowerContext,
): string | undefined {
  const { ref, value } = located.param as { ref: string; value: string };
  const at: Path = [...located.path, 'value'];
  const fail = (message: string, hint?: string, where: Path = at) => {
    context.unsupported(located, where, message, hint);
    return undefined;
  };
  const parsedRef = parseRef(ref);
  if ('error' in parsedRef) return undefined; // reported by the checks
  if (parsedRef.kind === 'runs')
    return fail(
      `\`ref: ${ref}\` reads a run outside this workflow, which Argo cannot look up`,
      'pass the value itself',
      [...located.path, 'ref'],
    );
  if (!scope) return fail(`\`ref: ${ref}\` needs an enclosing dag`);
  const refValue = parseRefValue(value, parsedRef);
  if ('error' in refValue) return undefined;
  const { section, key } = refValue;
  if (parsedRef.kind === 'dag') {
    if (section === 'inputs' && key !== undefined && scope.dagInputs.has(key)) return `{{inputs.parameters.${key}}}`;
    if (section === 'globals' && key !== undefined && DAG_GLOBALS[key]) return DAG_GLOBALS[key];
    return fail(
      `\`${value}\` of the dag has no Argo equivalent`,
      section === 'globals'
        ? `available dag globals: ${Object.keys(DAG_GLOBALS).join(', ')}`
        : 'read a single input: `value: inputs.NAME`',
    );
  }
  const upstream = scope.task(parsedRef.name);
  if (!upstream) return undefined; // unknown operation: reported by the checks
  if (section === 'outputs' && key !== undefined) {
    if (upstream.fanOut)
      return fail(
        `\`${parsedRef.name}\` fans out over a matrix: it has one \`${key}\` per run, not one value`,
        'read it with a `joins` query, or remove the matrix',
      );
    if (upstream.nestedDag)
      return fail(
        `\`${parsedRef.name}\` is a dag: a dag has no outputs of its own in Argo`,
        'read the output from the operation inside that dag that produces it',
      );
    return encodedTaskOutput(upstream.task, key);
  }
  if (section === 'inputs' && key !== undefined) {
    const input = scope.inputOf(parsedRef.name, key);
    return input ?? fail(`\`${parsedRef.name}\` gives no value for its input \`${key}\``);
  }
  if (section === 'globals' && key !== undefined) {
    const global = taskGlobal(upstream.task, key, parsedRef.name);
    return (
      global ??
      fail(
        `\`globals.${key}\` of another operation has no Argo equivalent`,
        'Argo exposes uuid, name, status, started_at, finished_at and namespace of a task',
      )
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
function templatedArgument(
  located: LocatedParam,
  op: ResolvedOperation,
  scope: ArgumentScope | undefined,
  context: LowerContext,
  seen: ReadonlySet<string> = new Set(),
): string | undefined {
  const parts = parseTemplate(located.param.value as string);
  const at: Path = [...located.path, 'value'];
  if (isJinjaError(parts)) {
    context.report(located, at, 'untranslatable-template', parts.error, { anchor: 'value' });
    return undefined;
  }
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      if (!encodable(located, part.text, context)) return undefined;
      out += encodeBraces(part.text);
      continue;
    }
    const name =
      part.path.length === 1
        ? part.path[0]!
        : part.path.length === 3 && part.path[0] === 'params' && part.path[2] === 'value'
          ? part.path[1]!
          : undefined;
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
        ? templatedArgument(other, op, scope, context, new Set([...seen, located.name]))
        : argumentValue(other, undefined, op, scope, context);
    if (value === undefined) return undefined;
    out += value;
  }
  return out;
}

/** Literal text of a param that Kubernetes would misread once its braces are encoded. */
function encodable(located: LocatedParam, text: string, context: LowerContext): boolean {
  const problem = encodingProblem(text);
  if (problem)
    context.report(located, [...located.path, 'value'], 'untranslatable-template', problem, {
      anchor: 'value',
      hint: 'write `$$(` for a literal `$(`',
    });
  return problem === undefined;
}
