import type { DiagnosticCode } from '../../../diagnostics/codes.js';
import { formatCount } from '../../../diagnostics/format.js';
import type { Path } from '../../../parse/source.js';
import type { HyperParam, Matrix } from '../../../schema/matrix.js';
import { discreteValues, random, sample, spaceProblem, spaceSize } from './space.js';

export type Suggestion = Record<string, unknown>;

/** The largest fan-out we generate: beyond this a workflow does not fit in one etcd object. */
export const MAX_SUGGESTIONS = 10_000;

/** Why a matrix cannot be expanded, at a path relative to the matrix. */
export interface MatrixProblem {
  code: DiagnosticCode;
  message: string;
  at: Path;
  hint?: string;
}

/**
 * A matrix → its suggestions, fixed at transpile time (spec §7): mapping items as written, the
 * grid's Cartesian product (last param varying fastest, cut at numRuns), or numRuns distinct
 * random draws from a seeded generator. Every space is sized and checked before anything is
 * expanded, so a space of billions is refused in no time.
 */
export function expandMatrix(matrix: Matrix): Suggestion[] | MatrixProblem {
  switch (matrix.kind) {
    case 'mapping': {
      if (typeof matrix.values === 'string')
        return {
          code: 'not-supported-by-argo',
          message: 'a templated `values` list cannot be expanded before the run',
          at: ['values'],
        };
      if (matrix.values.length === 0)
        return { code: 'empty-matrix', message: 'the mapping has no `values`: no run would start', at: ['values'] };
      if (matrix.values.length > MAX_SUGGESTIONS) return tooLarge(matrix.values.length, ['values']);
      return matrix.values;
    }
    case 'grid': {
      if (typeof matrix.numRuns === 'string')
        return {
          code: 'not-supported-by-argo',
          message: 'a templated `numRuns` cannot be expanded before the run',
          at: ['numRuns'],
        };
      const params = Object.entries(matrix.params);
      const checked = checkSpaces(params);
      if (!Array.isArray(checked)) return checked;
      let size = 1;
      for (const [name, axis] of checked) {
        if (axis === undefined)
          return {
            code: 'not-supported-by-argo',
            message: `\`${name}\` is a distribution; grid search needs discrete values`,
            at: ['params', name, 'kind'],
          };
        if (axis === 0)
          return {
            code: 'empty-matrix',
            message: `\`${name}\` has no values: the grid is empty`,
            at: ['params', name, 'value'],
          };
        size *= axis;
      }
      const limit = Math.min(size, matrix.numRuns ?? size);
      if (limit > MAX_SUGGESTIONS) return tooLarge(size, matrix.numRuns !== undefined ? ['numRuns'] : ['params']);
      const axes = params.map(([name, hp]) => [name, discreteValues(hp) ?? []] as const);
      const out: Suggestion[] = [];
      for (let index = 0; index < limit; index++) {
        const suggestion: Suggestion = {};
        let rest = index;
        for (let a = axes.length - 1; a >= 0; a--) {
          const axis = axes[a];
          if (!axis) continue;
          const [name, values] = axis;
          suggestion[name] = values[rest % values.length];
          rest = Math.floor(rest / values.length);
        }
        out.push(Object.fromEntries(axes.map(([name]) => [name, suggestion[name]])));
      }
      return out;
    }
    case 'random': {
      if (typeof matrix.numRuns === 'string' || typeof matrix.seed === 'string')
        return {
          code: 'not-supported-by-argo',
          message: 'a templated `numRuns` or `seed` cannot be expanded before the run',
          at: [typeof matrix.numRuns === 'string' ? 'numRuns' : 'seed'],
        };
      if (matrix.numRuns > MAX_SUGGESTIONS) return tooLarge(matrix.numRuns, ['numRuns']);
      const params = Object.entries<HyperParam>(matrix.params);
      const checked = checkSpaces(params);
      if (!Array.isArray(checked)) return checked;
      // All-discrete spaces hold a finite number of distinct suggestions (spec §7).
      const sizes = params.map(([, hp]) =>
        hp.kind === 'pchoice' ? (Array.isArray(hp.value) ? hp.value.length : undefined) : spaceSize(hp),
      );
      if (sizes.some((s) => s === 0))
        return {
          code: 'empty-matrix',
          message: 'a param of the matrix has no values: no run would start',
          at: ['params'],
        };
      const space = sizes.reduce<number>((n, s) => (s === undefined ? Infinity : n * s), 1);
      const wanted = Math.min(matrix.numRuns, space);
      const next = random(matrix.seed ?? 0);
      const seen = new Set<string>();
      const out: Suggestion[] = [];
      for (let attempt = 0; out.length < wanted && attempt < wanted * 100; attempt++) {
        const suggestion = Object.fromEntries(params.map(([name, hp]) => [name, sample(hp, next)]));
        const key = JSON.stringify(suggestion);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(suggestion);
      }
      return out;
    }
    default:
      return {
        code: 'not-supported-by-argo',
        message: `\`${matrix.kind}\` search needs a tuner that suggests each iteration from the previous results while the pipeline runs, which Argo does not have`,
        at: ['kind'],
        hint: 'use `grid`, `random` or `mapping`, which expand before the run',
      };
  }
}

/** Each param's grid size (undefined for distributions), or the first space that is broken. */
function checkSpaces(params: [string, HyperParam][]): [string, number | undefined][] | MatrixProblem {
  const out: [string, number | undefined][] = [];
  for (const [name, hp] of params) {
    if (typeof hp.value === 'string' && hp.value.includes('{{'))
      return {
        code: 'not-supported-by-argo',
        message: `a templated \`${name}\` space cannot be expanded before the run`,
        at: ['params', name, 'value'],
        hint: 'write the values out',
      };
    const problem = spaceProblem(hp);
    if (problem)
      return {
        code: 'invalid-value',
        message: `the \`${name}\` space cannot be walked: ${problem}`,
        at: ['params', name, 'value'],
      };
    const size = spaceSize(hp);
    if (size !== undefined && size > MAX_SUGGESTIONS) return tooLarge(size, ['params', name, 'value']);
    out.push([name, size]);
  }
  return out;
}

const tooLarge = (size: number, at: Path): MatrixProblem => ({
  code: 'matrix-too-large',
  message: `the matrix has ${formatCount(size)} runs; one workflow holds at most ${formatCount(MAX_SUGGESTIONS)}`,
  at,
  hint: 'narrow the space or set a smaller `numRuns`',
});
