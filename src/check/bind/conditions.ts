import { typeOf, type Condition, type ConditionExpr, type ValueType } from '../../model/condition.js';
import type { Path } from '../../parse/source.js';
import type { LocatedParam, ResolvedOperation } from '../../resolve/model.js';
import type { IO } from '../../schema/io.js';
import { isTemplate } from '../../schema/primitives.js';
import { parseRef, parseRefValue } from '../refs.js';
import { coerce } from '../values/coerce.js';
import type { BindContext } from './context.js';
import { isJinjaError, paramNameOf, parseTemplate, type JinjaExpression } from './jinja.js';
import { DAG_GLOBALS, type ValueScope } from './values.js';

/** The words Polyaxon reads the rendered conditions as (spec §8.5), case-insensitively. */
const TRUE_WORDS = /^(true|yes|on|1|t|y)$/i;
const FALSE_WORDS = /^(false|no|off|0|f|n)$/i;

/**
 * `conditions: "{{ … }}"` → a typed condition tree (spec §8.5). Names are the operation's params,
 * typed by the inputs they feed (else by what they reference, else by their value): a literal is
 * inlined with its type, a reference reads the upstream output or dag input as text and converts
 * it while the workflow runs. What Python itself would refuse (ordering a string against a
 * number), or what never renders to true or false, is refused here, at the conditions.
 */
export function bindCondition(
  op: ResolvedOperation,
  inputs: ReadonlyMap<string, IO>,
  scope: ValueScope | undefined,
  context: BindContext,
): Condition | undefined {
  const conditions = op.operation.conditions;
  if (conditions === undefined) return undefined;
  const at: Path = [...op.path, 'conditions'];
  const refuse = (message: string, hint?: string) => {
    context.report(op, at, 'untranslatable-template', message, { anchor: 'value', ...(hint ? { hint } : {}) });
    return undefined;
  };
  if (!isTemplate(conditions)) {
    // Plain text: Polyaxon reads it as a boolean word; the `invalid-conditions` rule refused others.
    return { expr: { kind: 'literal', type: 'bool', value: TRUE_WORDS.test(conditions.trim()) } };
  }
  // One block, nothing around it: Jinja's own tokens decide where it ends (`'}}'` in a string does not).
  const parts = parseTemplate(conditions);
  const blocks = isJinjaError(parts) ? [] : parts.filter((part) => part.kind === 'block');
  const block =
    blocks.length === 1 && !isJinjaError(parts) && parts.every((p) => p.kind === 'block' || !p.text.trim())
      ? blocks[0]
      : undefined;
  if (isJinjaError(parts))
    return refuse(
      parts.error,
      'pass the values the condition needs as params (e.g. `contextOnly` refs to upstream outputs) and compare them',
    );
  if (!block || block.kind !== 'block')
    return refuse(
      '`conditions` must be a single `{{ … }}` expression to be translated to Argo',
      'write the whole condition inside one pair of braces',
    );
  const parsed = block.expression;

  const problems: string[] = [];
  const typed = typeExpression(parsed, (path) => operand(path, op, inputs, scope), problems);
  if (problems.length || !typed) return refuse(problems[0] ?? 'the condition cannot be translated to Argo');
  const finalProblem = finalValueProblem(typed);
  if (finalProblem) return refuse(finalProblem, 'compare the value, e.g. `{{ count > 0 }}`');
  return { expr: typed };
}

type Resolve = (path: string[]) => ConditionExpr | string;

/** The typed tree of a parsed expression; problems are collected (the first is reported). */
function typeExpression(expression: JinjaExpression, resolve: Resolve, problems: string[]): ConditionExpr | undefined {
  const recurse = (e: JinjaExpression) => typeExpression(e, resolve, problems);
  switch (expression.kind) {
    case 'number':
      return { kind: 'literal', type: 'number', value: expression.value };
    case 'string':
      return { kind: 'literal', type: 'string', value: expression.value };
    case 'bool':
      return { kind: 'literal', type: 'bool', value: expression.value };
    case 'none':
      problems.push('`None` in `conditions` cannot be translated to Argo: Argo passes missing values as empty text');
      return undefined;
    case 'list': {
      const items = expression.items.map(recurse);
      if (items.some((i) => i === undefined || i.kind !== 'literal')) {
        problems.push('only lists of constants can be translated to Argo in `conditions`');
        return undefined;
      }
      return { kind: 'literal', type: 'list', value: items as ConditionExpr[] };
    }
    case 'reference': {
      const resolved = resolve(expression.path);
      if (typeof resolved === 'string') {
        problems.push(resolved);
        return undefined;
      }
      return resolved;
    }
    case 'not': {
      const operand = recurse(expression.operand);
      return operand && { kind: 'not', operand };
    }
    case 'and':
    case 'or': {
      const left = recurse(expression.left);
      const right = recurse(expression.right);
      return left && right && { kind: expression.kind, left, right };
    }
    case 'in': {
      const item = recurse(expression.item);
      const container = recurse(expression.container);
      if (!item || !container) return undefined;
      const containerType = typeOf(container);
      if (containerType === 'string' && typeOf(item) !== 'string') {
        problems.push(`\`in\` a string needs a string on its left; Python would fail on ${describeType(typeOf(item))}`);
        return undefined;
      }
      if (containerType !== 'list' && containerType !== 'string') {
        problems.push(`\`in\` needs a list or a string on its right, not ${describeType(containerType)}`);
        return undefined;
      }
      return { kind: 'in', negated: expression.negated, item, container };
    }
    case 'compare': {
      const left = recurse(expression.left);
      const right = recurse(expression.right);
      if (!left || !right) return undefined;
      const [a, b] = [typeOf(left), typeOf(right)];
      const numeric = (t: ValueType | 'mixed') => t === 'number' || t === 'bool';
      if (a === 'mixed' || b === 'mixed') {
        problems.push('`and`/`or` of values that are not booleans cannot be compared in Argo: compare each value');
        return undefined;
      }
      const comparable = (numeric(a) && numeric(b)) || a === b;
      if (expression.operator === '==' || expression.operator === '!=') {
        // Python: values of different types are never equal.
        if (!comparable) return { kind: 'literal', type: 'bool', value: expression.operator === '!=' };
        return { kind: 'compare', operator: expression.operator, left, right };
      }
      if (!comparable || a === 'dict' || a === 'list') {
        problems.push(
          `\`${expression.operator}\` between ${describeType(a)} and ${describeType(b)}: Python cannot order them, so Polyaxon would fail the operation`,
        );
        return undefined;
      }
      return { kind: 'compare', operator: expression.operator, left, right };
    }
  }
}

/**
 * The rendered result must read as a boolean word. Values whose text never does (numbers other
 * than 0 and 1 rendered as floats, lists, mappings) are refused; texts are checked as the
 * workflow runs.
 */
function finalValueProblem(expr: ConditionExpr): string | undefined {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return finalValueProblem(expr.left) ?? finalValueProblem(expr.right);
    case 'literal':
      if (
        expr.type === 'string' &&
        typeof expr.value === 'string' &&
        !TRUE_WORDS.test(expr.value.trim()) &&
        !FALSE_WORDS.test(expr.value.trim())
      )
        return `\`conditions\` would render \`${expr.value}\`, which is not true or false`;
      if (typeof expr.value === 'number' && expr.value !== 0 && expr.value !== 1)
        return `\`conditions\` would render ${expr.value}, which is not true or false`;
      if (expr.type === 'list' || expr.type === 'dict')
        return '`conditions` would render a list, which is not true or false';
      return undefined;
    case 'variable':
      if (expr.type === 'number' || expr.type === 'list' || expr.type === 'dict')
        return `\`conditions\` would render the ${describeType(expr.type)} value itself, which Polyaxon does not read as true or false`;
      return undefined;
    default:
      return undefined;
  }
}

const describeType = (type: ValueType | 'mixed'): string =>
  ({
    number: 'a number',
    bool: 'a boolean',
    string: 'a string',
    list: 'a list',
    dict: 'a mapping',
    mixed: 'mixed values',
  })[type];

/** A Polyaxon IO type → how a condition compares its values. */
export function valueType(
  io: { type?: string | undefined; isList?: boolean | undefined } | undefined,
  fallback: unknown = '',
): ValueType {
  if (io?.isList) return 'list';
  const type = io?.type;
  if (type === undefined) return jsType(fallback);
  if (/^(int|float|metric|(Strict|Positive|Negative|NonNegative|NonPositive)?(Int|Float))$/i.test(type))
    return 'number';
  if (/^(Strict)?bool$/i.test(type)) return 'bool';
  if (/^(list|List(\[.*\])?|tuple)$/.test(type)) return 'list';
  if (/^(dict|Dict(\[.*\])?|metadata)$/.test(type)) return 'dict';
  return 'string';
}

const jsType = (value: unknown): ValueType =>
  typeof value === 'number'
    ? 'number'
    : typeof value === 'boolean'
      ? 'bool'
      : Array.isArray(value)
        ? 'list'
        : value !== null && typeof value === 'object'
          ? 'dict'
          : 'string';

/** A name in the condition → the operand it means: the operation's param of that name. */
function operand(
  path: string[],
  op: ResolvedOperation,
  inputs: ReadonlyMap<string, IO>,
  scope: ValueScope | undefined,
): ConditionExpr | string {
  const name = paramNameOf(path);
  const located = name !== undefined ? op.params.get(name) : undefined;
  if (!located || name === undefined)
    return `\`${path.join('.')}\` in \`conditions\` is not a param of operation \`${op.name}\``;
  const io = inputs.get(name);
  if (located.param.ref === undefined) return literalOperand(located, io);
  return (
    refOperand(located, io, scope) ??
    `\`${name}\` in \`conditions\` reads \`${located.param.ref}\`, which Argo cannot compare`
  );
}

function literalOperand(located: LocatedParam, io: IO | undefined): ConditionExpr | string {
  let raw = located.param.value;
  if (isTemplate(raw)) {
    // A template that renders to constant text (`{% raw %}…`, `{{ 'x' }}`) is that text.
    const parts = parseTemplate(String(raw));
    if (isJinjaError(parts) || parts.some((part) => part.kind !== 'text'))
      return `\`${located.name}\` in \`conditions\` is itself a template; compare the params it is made of`;
    raw = parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
  }
  const coerced = io ? coerce(io.type, raw, io.isList) : undefined;
  const value = coerced?.ok ? coerced.value : raw;
  const type = valueType(io, value);
  if (value === null || value === undefined) return `\`${located.name}\` in \`conditions\` has no value`;
  if (type === 'list') {
    if (!Array.isArray(value)) return `\`${located.name}\` in \`conditions\` is not a list`;
    return {
      kind: 'literal',
      type,
      value: value.map((item) => ({ kind: 'literal' as const, type: jsType(item), value: item as never })),
    };
  }
  if (type === 'dict') return `the mapping \`${located.name}\` cannot be used in \`conditions\` in Argo`;
  if (type === 'number') return { kind: 'literal', type, value: Number(value) };
  if (type === 'bool')
    return { kind: 'literal', type, value: value === true || (typeof value === 'string' && TRUE_WORDS.test(value)) };
  return { kind: 'literal', type: 'string', value: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** A ref param as the condition reads it: the raw text of the upstream output, dag input or global. */
function refOperand(
  located: LocatedParam,
  io: IO | undefined,
  scope: ValueScope | undefined,
): ConditionExpr | undefined {
  const { ref, value } = located.param;
  if (!scope || ref === undefined || typeof value !== 'string') return undefined;
  const parsedRef = parseRef(ref);
  if ('error' in parsedRef || parsedRef.kind === 'runs') return undefined;
  const read = parseRefValue(value, parsedRef);
  if ('error' in read || read.key === undefined) return undefined;
  if (parsedRef.kind === 'dag') {
    if (read.section === 'inputs' && scope.dagInputs.has(read.key))
      return {
        kind: 'variable',
        type: valueType(io ?? scope.dagInputType(read.key)),
        name: `inputs.parameters.${read.key}`,
      };
    const global = read.section === 'globals' ? DAG_GLOBALS[read.key] : undefined;
    return global ? { kind: 'variable', type: 'string', name: global } : undefined;
  }
  const upstream = scope.operation(parsedRef.name);
  if (
    !upstream ||
    read.section !== 'outputs' ||
    upstream.template.kind === 'matrix' ||
    upstream.template.kind === 'dag'
  )
    return undefined;
  return {
    kind: 'variable',
    type: valueType(io ?? scope.outputType(parsedRef.name, read.key)),
    name: `tasks.${upstream.task}.outputs.parameters.${read.key}`,
  };
}
