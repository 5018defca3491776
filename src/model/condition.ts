/**
 * An operation's `conditions`, parsed and typed: what Polyaxon's Jinja would compute, as a tree
 * lowering writes as one Argo expression tag in the task's `when`.
 *
 * Values keep Python's meaning: comparisons of numbers are numeric (booleans count as 0 and 1),
 * of strings are by code point; `and`/`or` return one of their operands; `not` and the final
 * result go through truthiness and, at the top, Polyaxon's reading of the rendered text as a
 * boolean word (`true`, `yes`, `1`…). Binding has refused what Python itself would reject
 * (ordering a string against a number) and what cannot be known (`None` ordering).
 */

export type ValueType = 'number' | 'bool' | 'string' | 'list' | 'dict';

export type ConditionExpr =
  /** A value known before the run. */
  | { kind: 'literal'; type: ValueType; value: number | boolean | string | readonly ConditionExpr[] }
  /** An Argo variable holding the value as text (a task output, a dag input), read by its type. */
  | { kind: 'variable'; type: ValueType; name: string }
  | { kind: 'compare'; operator: '==' | '!=' | '<' | '<=' | '>' | '>='; left: ConditionExpr; right: ConditionExpr }
  /** `item in container` (a list's member, a string's substring); `negated` for `not in`. */
  | { kind: 'in'; negated: boolean; item: ConditionExpr; container: ConditionExpr }
  | { kind: 'not'; operand: ConditionExpr }
  | { kind: 'and' | 'or'; left: ConditionExpr; right: ConditionExpr };

/** A condition the task runs under; false skips it, as Polyaxon skips the operation. */
export interface Condition {
  expr: ConditionExpr;
}

/** The type of a typed expression; `mixed` for `and`/`or` of values of different types. */
export function typeOf(expr: ConditionExpr): ValueType | 'mixed' {
  switch (expr.kind) {
    case 'literal':
    case 'variable':
      return expr.type;
    case 'compare':
    case 'in':
    case 'not':
      return 'bool';
    case 'and':
    case 'or': {
      const [a, b] = [typeOf(expr.left), typeOf(expr.right)];
      return a === b ? a : 'mixed';
    }
  }
}
