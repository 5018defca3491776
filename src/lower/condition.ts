import { expressionOf, exprString } from '../argo/text.js';
import { typeOf, type Condition, type ConditionExpr, type ValueType } from '../model/condition.js';

const TRUE_WORDS = ['true', 'yes', 'on', '1', 't', 'y'];
const FALSE_WORDS = ['false', 'no', 'off', '0', 'f', 'n'];
const words = (list: string[]) => `[${list.map((w) => `'${w}'`).join(', ')}]`;

/**
 * A typed condition → the expression tag Argo evaluates for a task's `when`, computing what
 * Polyaxon's Jinja would (see model/condition.ts): values are read from their variables and
 * converted by type (`asFloat`, boolean words, JSON lists), never pasted as text into the
 * expression, so no value can change its meaning.
 */
export function renderCondition(condition: Condition): string {
  return `{{=${final(condition.expr)}}}`;
}

/** The value an expression computes, in expr-lang, with its type. */
function value(expr: ConditionExpr): { source: string; type: ValueType | 'mixed' } {
  switch (expr.kind) {
    case 'literal':
      return { source: literal(expr), type: expr.type };
    case 'variable': {
      const raw = expressionOf(expr.name);
      const source = {
        number: `asFloat(${raw})`,
        bool: `(${isWord(raw, TRUE_WORDS)})`,
        string: raw,
        list: `fromJSON(${raw})`,
        dict: `fromJSON(${raw})`,
      }[expr.type];
      return { source, type: expr.type };
    }
    case 'compare': {
      const left = value(expr.left);
      const right = value(expr.right);
      // Python counts booleans as 0 and 1 against numbers; expr-lang does not mix them.
      const numeric = left.type === 'number' || right.type === 'number';
      const side = (v: { source: string; type: string }) =>
        numeric && v.type === 'bool' ? `(${v.source} ? 1 : 0)` : v.source;
      return { source: `(${side(left)} ${expr.operator} ${side(right)})`, type: 'bool' };
    }
    case 'in': {
      const item = value(expr.item);
      const container = value(expr.container);
      const test =
        container.type === 'string'
          ? `(${container.source} contains ${item.source})`
          : `(${item.source} in ${container.source})`;
      return { source: expr.negated ? `!${test}` : test, type: 'bool' };
    }
    case 'not':
      return { source: `!${truthy(expr.operand)}`, type: 'bool' };
    case 'and':
    case 'or': {
      const operator = expr.kind === 'and' ? '&&' : '||';
      return { source: `(${truthy(expr.left)} ${operator} ${truthy(expr.right)})`, type: 'bool' };
    }
  }
}

function literal(expr: Extract<ConditionExpr, { kind: 'literal' }>): string {
  if (Array.isArray(expr.value)) return `[${expr.value.map((item: ConditionExpr) => value(item).source).join(', ')}]`;
  if (typeof expr.value === 'string') return exprString(expr.value);
  return typeof expr.value === 'number' ? String(expr.value) : expr.value ? 'true' : 'false';
}

/** Python's truthiness of a value. */
function truthy(expr: ConditionExpr): string {
  if (expr.kind === 'and' || expr.kind === 'or') return value(expr).source;
  const { source, type } = value(expr);
  switch (type) {
    case 'bool':
      return source;
    case 'number':
      return `(${source} != 0)`;
    case 'string':
      return `(${source} != '')`;
    default:
      return `(len(${source}) > 0)`;
  }
}

/**
 * What Polyaxon does with the rendered text: `and`/`or` render one of their operands, and the
 * text must be a boolean word. A text that is not one yields a string, which Argo refuses to use
 * as a condition: the task errors, as Polyaxon fails the operation.
 */
function final(expr: ConditionExpr): string {
  if (typeOf(expr) === 'bool') return value(expr).source;
  switch (expr.kind) {
    case 'and':
      return `(${truthy(expr.left)} ? ${final(expr.right)} : ${final(expr.left)})`;
    case 'or':
      return `(${truthy(expr.left)} ? ${final(expr.left)} : ${final(expr.right)})`;
    case 'literal':
      if (typeof expr.value === 'string') return String(TRUE_WORDS.includes(expr.value.trim().toLowerCase()));
      if (typeof expr.value === 'number') return String(expr.value === 1);
      return value(expr).source;
    case 'variable':
      if (expr.type !== 'string') return value(expr).source;
      return `(${isWord(expressionOf(expr.name), TRUE_WORDS)} ? true : (${isWord(expressionOf(expr.name), FALSE_WORDS)} ? false : 'conditions did not render true or false'))`;
    default:
      return value(expr).source;
  }
}

const isWord = (source: string, list: string[]): string => `sprig.lower(sprig.trim(${source})) in ${words(list)}`;
