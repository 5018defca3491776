import { DISTRIBUTIONS, type Matrix } from '../../schema/matrix.js';
import type { Rule } from '../rule.js';

const NON_UNIFORM = new Set<string>(DISTRIBUTIONS.filter((d) => d !== 'uniform'));

/** The names a matrix gives values to: they satisfy inputs like params do (spec §5.5). */
export function matrixParamNames(matrix: Matrix | undefined): string[] {
  if (!matrix) return [];
  if (matrix.kind === 'mapping') {
    const first = Array.isArray(matrix.values) ? matrix.values[0] : undefined;
    return first ? Object.keys(first) : [];
  }
  const names = Object.keys(matrix.params ?? {});
  if (matrix.kind === 'hyperband' && matrix.resource) names.push(matrix.resource.name);
  return names;
}

/** Hyper-parameter spaces must suit the search (spec §7) and the inputs they fill (spec §5.5). */
export const matrixSpace: Rule = {
  name: 'matrix-space',
  operation(op, context) {
    const matrix = op.operation.matrix;
    if (!matrix || matrix.kind === 'mapping' || !matrix.params) return;
    const inputs = [...(op.component?.component.inputs ?? []), ...(op.component?.component.outputs ?? [])];
    for (const [name, hp] of Object.entries(matrix.params)) {
      const at = [...op.path, 'matrix', 'params', name, 'kind'];
      if (matrix.kind === 'grid' && (DISTRIBUTIONS as readonly string[]).includes(hp.kind)) {
        context.report(
          op,
          at,
          'distribution-in-grid',
          `\`${name}\` defines a distribution (\`${hp.kind}\`), and it cannot be used with grid search`,
          {
            anchor: 'value',
            hint: 'use `choice`, `range`, `linspace`, `logspace` or `geomspace`, or switch to `kind: random`',
          },
        );
      }
      if (matrix.kind === 'bayes' && NON_UNIFORM.has(hp.kind)) {
        context.report(
          op,
          at,
          'distribution-in-bayes',
          `\`${name}\` uses \`${hp.kind}\`; Bayesian search only supports uniform distributions and discrete values`,
          { anchor: 'value', hint: 'use `uniform`, `choice`, `range` or `linspace`' },
        );
      }
      const input = inputs.find((io) => io.name === name);
      if (!input) continue;
      // Polyaxon's validate_io: only choice and pchoice take any input type (an untyped one too).
      const needed =
        hp.kind === 'daterange'
          ? ['date']
          : hp.kind === 'datetimerange'
            ? ['datetime']
            : hp.kind === 'choice' || hp.kind === 'pchoice'
              ? undefined
              : ['int', 'float'];
      if (needed && (input.type === undefined || !needed.includes(input.type))) {
        context.report(
          op,
          at,
          'matrix-type-mismatch',
          `\`${name}\` is a \`${hp.kind}\` space but the input \`${name}\` ${input.type === undefined ? 'has no type' : `has type \`${input.type}\``}; it needs ${needed.map((t) => `\`${t}\``).join(' or ')}`,
          { anchor: 'value', hint: 'use `kind: choice` for non-numeric values, or change the input type' },
        );
      }
    }
  },
};
