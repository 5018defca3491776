import type { HyperParam } from '../../../schema/matrix.js';

/**
 * Hyper-parameter spaces (spec §7) as numbers and values: the discrete values a grid walks
 * (numpy's arange/linspace/logspace/geomspace semantics) and a sampler for random search.
 */

type Numbers = [number, number, number, number?];

/** The `value` of a range-like hyper-parameter as numbers: "a:b:c", [a, b, c] or a mapping. */
function numbers(value: unknown, keys: string[]): Numbers {
  if (typeof value === 'string') return value.split(':').map(Number) as Numbers;
  if (Array.isArray(value)) return value.map(Number) as Numbers;
  const record = value as Record<string, unknown>;
  return keys.map((k) => (record[k] === undefined ? undefined : Number(record[k]))) as Numbers;
}

/**
 * Why a hyper-parameter's space cannot be walked, if it cannot: bounds that are not finite
 * numbers, a step that never reaches the stop, a count that is not a whole number. Checked
 * before anything is expanded, like `spaceSize`.
 */
export function spaceProblem(hp: HyperParam): string | undefined {
  const finite = (values: (number | undefined)[], names: string[]) => {
    const bad = values.findIndex((v, i) => names[i] !== undefined && v !== undefined && !Number.isFinite(v));
    return bad === -1 ? undefined : `\`${names[bad]}\` is not a finite number`;
  };
  switch (hp.kind) {
    case 'range': {
      const [start, stop, step] = numbers(hp.value, ['start', 'stop', 'step']);
      return (
        finite([start, stop, step], ['start', 'stop', 'step']) ?? (step <= 0 ? '`step` must be above 0' : undefined)
      );
    }
    case 'linspace':
    case 'logspace':
    case 'geomspace': {
      const [start, stop, num, base] = numbers(hp.value, ['start', 'stop', 'num', 'base']);
      const problem = finite([start, stop, num, base], ['start', 'stop', 'num', 'base']);
      if (problem) return problem;
      if (!Number.isInteger(num) || num < 0) return '`num` must be a whole number of points';
      if (hp.kind === 'geomspace' && (start <= 0 || stop <= 0)) return 'a geomspace needs `start` and `stop` above 0';
      return undefined;
    }
    case 'uniform':
    case 'quniform':
    case 'loguniform':
    case 'qloguniform':
    case 'normal':
    case 'qnormal':
    case 'lognormal':
    case 'qlognormal': {
      const values = numbers(hp.value, ['low', 'high', 'q']);
      return finite(values.slice(0, 3), ['first bound', 'second bound', 'step']);
    }
    default:
      return undefined;
  }
}

/** How many values a grid takes for this hyper-parameter, computed without listing them. */
export function spaceSize(hp: HyperParam): number | undefined {
  switch (hp.kind) {
    case 'choice':
      return Array.isArray(hp.value) ? hp.value.length : undefined;
    case 'range': {
      const [start, stop, step] = numbers(hp.value, ['start', 'stop', 'step']);
      // numpy's arange: the values below stop, counted as the loop in discreteValues counts them.
      let size = stop > start ? Math.ceil((stop - start) / step) : 0;
      while (size > 0 && start + (size - 1) * step >= stop) size--;
      return size;
    }
    case 'linspace':
    case 'logspace':
    case 'geomspace':
      return numbers(hp.value, ['start', 'stop', 'num'])[2];
    case 'daterange':
    case 'datetimerange': {
      const values = discreteValues(hp);
      return values?.length;
    }
    default:
      return undefined;
  }
}

/** Rounds away floating-point noise (0.30000000000000004 → 0.3), as numpy's printing would. */
const clean = (n: number): number => Number(n.toPrecision(12));

export function linspace(start: number, stop: number, num: number): number[] {
  if (num <= 1) return num === 1 ? [start] : [];
  return Array.from({ length: num }, (_, i) => clean(start + ((stop - start) * i) / (num - 1)));
}

/** The values a grid takes for this hyper-parameter; undefined for distributions. */
export function discreteValues(hp: HyperParam): unknown[] | undefined {
  switch (hp.kind) {
    case 'choice':
      return hp.value as unknown[];
    case 'range': {
      const [start, stop, step] = numbers(hp.value, ['start', 'stop', 'step']);
      const out: number[] = [];
      for (let i = 0; start + i * step < stop && i < 1_000_000; i++) out.push(clean(start + i * step));
      return out;
    }
    case 'linspace': {
      const [start, stop, num] = numbers(hp.value, ['start', 'stop', 'num']);
      return linspace(start, stop, num);
    }
    case 'logspace': {
      const [start, stop, num, base = 10] = numbers(hp.value, ['start', 'stop', 'num', 'base']);
      return linspace(start, stop, num).map((x) => clean(base ** x));
    }
    case 'geomspace': {
      const [start, stop, num] = numbers(hp.value, ['start', 'stop', 'num']);
      return linspace(Math.log10(start), Math.log10(stop), num).map((x) => clean(10 ** x));
    }
    case 'daterange':
    case 'datetimerange': {
      const [start, stop, step] = Array.isArray(hp.value)
        ? hp.value
        : [
            (hp.value as Record<string, unknown>).start,
            (hp.value as Record<string, unknown>).stop,
            (hp.value as Record<string, unknown>).step,
          ];
      const unit = hp.kind === 'daterange' ? 86_400_000 : 1000;
      const from = new Date(String(start instanceof Date ? start.toISOString() : start)).getTime();
      const to = new Date(String(stop instanceof Date ? stop.toISOString() : stop)).getTime();
      const out: string[] = [];
      for (let t = from; t < to && out.length < 100_000; t += Number(step) * unit) {
        const iso = new Date(t).toISOString();
        out.push(hp.kind === 'daterange' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z'));
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** A seeded generator (mulberry32): the same seed gives the same suggestions on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random draw from a hyper-parameter (hyperopt's semantics for the log/q variants). */
export function sample(hp: HyperParam, next: () => number): unknown {
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const q = (x: number, step: number) => clean(Math.round(x / step) * step);
  const discrete = discreteValues(hp);
  if (discrete) return discrete[Math.floor(next() * discrete.length)];
  switch (hp.kind) {
    case 'pchoice': {
      const options = hp.value as [unknown, number][];
      let r = next() * options.reduce((sum, [, p]) => sum + p, 0);
      for (const [value, p] of options) if ((r -= p) < 0) return value;
      return options.at(-1)![0];
    }
    case 'uniform':
    case 'loguniform': {
      const [low, high] = numbers(hp.value, ['low', 'high']);
      const x = low + (high - low) * next();
      return clean(hp.kind === 'uniform' ? x : Math.exp(x));
    }
    case 'quniform':
    case 'qloguniform': {
      const [low, high, step] = numbers(hp.value, ['low', 'high', 'q']);
      const x = low + (high - low) * next();
      return q(hp.kind === 'quniform' ? x : Math.exp(x), step);
    }
    case 'normal':
    case 'lognormal': {
      const [loc, scale] = numbers(hp.value, ['loc', 'scale']);
      const x = loc + scale * normal();
      return clean(hp.kind === 'normal' ? x : Math.exp(x));
    }
    case 'qnormal':
    case 'qlognormal': {
      const [loc, scale, step] = numbers(hp.value, ['loc', 'scale', 'q']);
      const x = loc + scale * normal();
      return q(hp.kind === 'qnormal' ? x : Math.exp(x), step);
    }
    default:
      return undefined;
  }
}
