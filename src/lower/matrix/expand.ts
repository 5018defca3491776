import type { HyperParam, Matrix } from '../../schema/matrix.js';
import { discreteValues, random, sample } from './space.js';

export type Suggestion = Record<string, unknown>;

/** The largest fan-out we generate: beyond this a workflow does not fit in one etcd object. */
export const MAX_SUGGESTIONS = 10_000;

/**
 * A matrix → its suggestions, fixed at transpile time (spec §7): mapping items as written,
 * the grid's Cartesian product (last param varying fastest, cut at numRuns), or numRuns
 * distinct random draws from a seeded generator. Returns an error sentence when it cannot.
 */
export function expandMatrix(matrix: Matrix): Suggestion[] | string {
  switch (matrix.kind) {
    case 'mapping':
      return typeof matrix.values === 'string'
        ? 'a templated `values` list cannot be expanded before the run'
        : matrix.values;
    case 'grid': {
      if (typeof matrix.numRuns === 'string') return 'a templated `numRuns` cannot be expanded before the run';
      const axes = Object.entries(matrix.params).map(([name, hp]) => [name, discreteValues(hp)] as const);
      const continuous = axes.find(([, values]) => !values);
      if (continuous) return `\`${continuous[0]}\` is a distribution; grid search needs discrete values`;
      const size = axes.reduce((n, [, values]) => n * values!.length, 1);
      const limit = Math.min(size, matrix.numRuns ?? size);
      if (limit > MAX_SUGGESTIONS)
        return `the grid has ${size} points; more than ${MAX_SUGGESTIONS} runs cannot be expanded into one workflow`;
      const out: Suggestion[] = [];
      for (let index = 0; index < limit; index++) {
        const suggestion: Suggestion = {};
        let rest = index;
        for (let a = axes.length - 1; a >= 0; a--) {
          const [name, values] = axes[a]!;
          suggestion[name] = values![rest % values!.length];
          rest = Math.floor(rest / values!.length);
        }
        out.push(Object.fromEntries(axes.map(([name]) => [name, suggestion[name]])));
      }
      return out;
    }
    case 'random': {
      if (typeof matrix.numRuns === 'string' || typeof matrix.seed === 'string')
        return 'a templated `numRuns` or `seed` cannot be expanded before the run';
      if (matrix.numRuns > MAX_SUGGESTIONS)
        return `numRuns ${matrix.numRuns} is more than the ${MAX_SUGGESTIONS} runs one workflow can hold`;
      const params = Object.entries(matrix.params) as [string, HyperParam][];
      const next = random(matrix.seed ?? 0);
      // All-discrete spaces hold a finite number of distinct suggestions (spec §7).
      const sizes = params.map(([, hp]) =>
        hp.kind === 'pchoice' ? (hp.value as unknown[]).length : discreteValues(hp)?.length,
      );
      const space = sizes.every((s) => s !== undefined) ? sizes.reduce((n, s) => n! * s!, 1)! : Infinity;
      const wanted = Math.min(matrix.numRuns, space);
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
      return `\`${matrix.kind}\` search needs a tuner that suggests each iteration from the previous results while the pipeline runs, which Argo does not have`;
  }
}
