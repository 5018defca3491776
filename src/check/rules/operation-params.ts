import { suggest } from '../../diagnostics/suggest.js';
import { graphOf } from '../../graph/dag-graph.js';
import type { IO } from '../../schema/io.js';
import { isTemplate } from '../../schema/primitives.js';
import type { LocatedParam, ResolvedDag, ResolvedOperation } from '../../resolve/model.js';
import type { CheckContext, Rule } from '../rule.js';
import { compatibleTypes, lookupRefValue, parseRef, parseRefValue } from '../refs.js';
import { checkConstraints } from '../values/constraints.js';
import { coerce } from '../values/coerce.js';
import { matrixParamNames } from './matrix-space.js';

type Section = 'input' | 'output';

export const isRequiredInput = (io: IO): boolean => !io.isOptional && !('value' in io) && !io.delayValidation;
/** Outputs are delay-validated unless `delayValidation: false` says otherwise (spec §4.3). */
export const isRequiredOutput = (io: IO): boolean => !io.isOptional && !('value' in io) && io.delayValidation === false;

/**
 * An operation's params against its component's inputs and outputs (spec §5.4): no unknown
 * params, literal values of the right type and constraints, refs that parse, point at
 * something that exists and carry a compatible type, and every required input given.
 */
export const operationParams: Rule = {
  name: 'operation-params',
  operation(op, context, dag) {
    const component = op.component?.component;
    if (!component) return;
    const ios = new Map<string, { io: IO; section: Section }>();
    for (const io of component.inputs ?? []) ios.set(io.name, { io, section: 'input' });
    for (const io of component.outputs ?? []) if (!ios.has(io.name)) ios.set(io.name, { io, section: 'output' });

    for (const located of op.params.values()) {
      if (located.param.contextOnly) {
        // Not an input, but a ref still has to point at something the upstream exposes.
        if (located.param.ref !== undefined) checkRefParam(op, located, undefined, context, dag);
        continue;
      }
      const target = ios.get(located.name);
      if (!target) {
        const guess = suggest(located.name, ios.keys());
        context.report(
          located,
          located.path,
          'unexpected-param',
          `${describe(op)} received the unexpected param \`${located.name}\`: component${component.name && typeof component.name === 'string' ? ` \`${component.name}\`` : ''} has no input or output of that name`,
          {
            hint: guess
              ? `did you mean \`${guess}\`?`
              : ios.size
                ? `its inputs and outputs: ${[...ios.keys()].join(', ')}; or set \`contextOnly: true\` to pass it to templates only`
                : 'the component declares no inputs or outputs; set `contextOnly: true` to pass it to templates only',
          },
        );
        continue;
      }
      if (located.param.ref !== undefined) checkRefParam(op, located, target, context, dag);
      else checkLiteral(located, target, context);
    }
    checkRequired(op, context);
  },
};

function checkLiteral(
  located: LocatedParam,
  { io, section }: { io: IO; section: Section },
  context: CheckContext,
): void {
  const value = located.param.value;
  // A template is rendered at run time; Polyaxon skips type checks for it (spec §4.2).
  if (isTemplate(value)) return;
  const at = [...located.path, 'value'];
  if (value === null || value === undefined) {
    // An output a param is given for is validated like an input: only its own
    // `delayValidation: true` postpones it (Polyaxon delays outputs when no param is given).
    if (isRequiredInput(io))
      context.report(
        located,
        at,
        'missing-value',
        `no value was provided for the non-optional ${section} \`${io.name}\``,
        { anchor: 'value', hint: `give \`${io.name}\` a value${io.type ? ` of type \`${io.type}\`` : ''}` },
      );
    return;
  }
  const result = coerce(io.type, value, io.isList);
  if (!result.ok) {
    context.report(
      located,
      at,
      'invalid-param-value',
      `param \`${located.name}\` does not fit the ${section}'s type \`${io.isList ? `List[${io.type ?? 'any'}]` : io.type}\`: ${result.reason}, got ${JSON.stringify(value)}`,
      { anchor: 'value' },
    );
    return;
  }
  const broken = checkConstraints(result.value, io.validation);
  if (broken)
    context.report(
      located,
      at,
      'invalid-param-value',
      `param \`${located.name}\` ${broken}, got ${JSON.stringify(value)}`,
      { anchor: 'value', hint: `the ${section} \`${io.name}\` declares this in its \`validation\`` },
    );
}

/** A ref param; `target` is the input or output it feeds, undefined for a contextOnly param. */
function checkRefParam(
  op: ResolvedOperation,
  located: LocatedParam,
  target: { io: IO; section: Section } | undefined,
  context: CheckContext,
  dag: ResolvedDag | undefined,
): void {
  const { ref, value } = located.param as { ref: string; value: unknown };
  const refAt = [...located.path, 'ref'];
  const valueAt = [...located.path, 'value'];
  if (typeof value !== 'string') {
    context.report(
      located,
      value === undefined ? located.path : valueAt,
      'ref-needs-value',
      `param \`${located.name}\` has a \`ref\`, so its \`value\` must be a string naming what to read`,
      {
        anchor: value === undefined ? 'key' : 'value',
        hint: 'e.g. `value: outputs.NAME`, `value: inputs.NAME` or `value: globals.uuid`',
      },
    );
    return;
  }
  const parsed = parseRef(ref);
  if ('error' in parsed) {
    context.report(located, refAt, 'invalid-ref', parsed.error, {
      anchor: 'value',
      ...(parsed.hint ? { hint: parsed.hint } : {}),
    });
    return;
  }
  if (parsed.kind === 'runs') return; // Another run's outputs: existence is checked when it runs.
  if (!dag) {
    context.report(located, refAt, 'ref-outside-dag', `\`ref: ${ref}\` can only be used by an operation inside a dag`, {
      anchor: 'value',
      hint: 'pass the value directly, or reference an existing run with `ref: runs.UUID`',
    });
    return;
  }
  if (parsed.kind === 'ops' && target?.section === 'output') {
    context.report(
      located,
      refAt,
      'ref-on-output',
      `output \`${target.io.name}\` cannot take its value from \`${ref}\`: outputs are produced by the operation itself`,
      { anchor: 'value' },
    );
    return;
  }
  const refValue = parseRefValue(value, parsed);
  if ('error' in refValue) {
    context.report(located, valueAt, 'invalid-ref-value', refValue.error, {
      anchor: 'value',
      ...(refValue.hint ? { hint: refValue.hint } : {}),
    });
    return;
  }
  if (refValue.templated) return;
  let exposed: { inputs: readonly IO[]; outputs: readonly IO[] };
  if (parsed.kind === 'dag') exposed = { inputs: dag.inputs, outputs: [] };
  else {
    const upstream = graphOf(dag).operations.get(parsed.name)?.component?.component;
    if (!upstream) return; // Unknown operation: reported once by known-upstream.
    exposed = { inputs: upstream.inputs ?? [], outputs: upstream.outputs ?? [] };
  }
  const read = lookupRefValue(refValue, exposed, ref);
  if (read === undefined) return;
  if ('error' in read) {
    context.report(
      located,
      valueAt,
      'unknown-ref-value',
      `param \`${located.name}\` reads \`${value}\` from \`${ref}\`, but ${read.error}`,
      { anchor: 'value', ...(read.hint ? { hint: read.hint } : {}) },
    );
    return;
  }
  if (!target) return;
  const { io } = target;
  if (!compatibleTypes(io, read)) {
    const want = io.isList ? `List[${io.type ?? 'untyped'}]` : (io.type ?? 'untyped');
    const got = read.isList ? `List[${read.type ?? 'untyped'}]` : (read.type ?? 'untyped');
    context.report(
      located,
      valueAt,
      'ref-type-mismatch',
      `param \`${located.name}\` expects type \`${want}\`, but \`${read.description}\` has type \`${got}\``,
      {
        anchor: 'value',
        hint: 'types must match exactly (str, path, s3, gcs and wasb are interchangeable); change one of the declarations',
      },
    );
  }
}

function checkRequired(op: ResolvedOperation, context: CheckContext): void {
  const resolved = op.component!;
  const isRoot = op === context.root;
  if (isRoot && !context.options.requireTopLevelInputs) return;
  const given = new Set<string>(matrixParamNames(op.operation.matrix));
  for (const located of op.params.values()) if (!located.param.contextOnly) given.add(located.name);
  if (Array.isArray(op.operation.joins))
    for (const join of op.operation.joins) for (const name of Object.keys(join.params ?? {})) given.add(name);
  for (const section of ['inputs', 'outputs'] as const) {
    (resolved.component[section] ?? []).forEach((io, index) => {
      const required = section === 'inputs' ? isRequiredInput(io) : isRequiredOutput(io);
      if (!required || given.has(io.name)) return;
      const kind = section.slice(0, -1);
      if (isRoot) {
        context.report(
          resolved,
          [...resolved.path, section, index, 'name'],
          'missing-param',
          `the Polyaxonfile has the non-optional ${kind} \`${io.name}\` and no param gives it a value`,
          {
            anchor: 'value',
            hint: `pass \`--param ${io.name}=VALUE\`, give the ${kind} a default \`value\`, or mark it \`isOptional: true\``,
          },
        );
      } else {
        const at = op.operation.params
          ? [...op.path, 'params']
          : typeof op.operation.name === 'string'
            ? [...op.path, 'name']
            : op.path;
        context.report(
          op,
          at,
          'missing-param',
          `${describe(op)} does not give the required ${kind} \`${io.name}\`${typeof resolved.component.name === 'string' ? ` of component \`${resolved.component.name}\`` : ''}`,
          {
            hint: `add \`${io.name}:\` under \`params:\` (a value, or \`{ref: ops.NAME, value: outputs.NAME}\`)`,
          },
        );
      }
    });
  }
}

const describe = (op: ResolvedOperation) => (op.name ? `operation \`${op.name}\`` : 'the operation');
