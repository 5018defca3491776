/**
 * Polyaxon's patch strategies (spec §6.5), used to merge an operation over its component, a
 * `runPatch` over the component's run, and a dag's environment over its children.
 *  - post_merge (default): objects merge recursively, `next` wins; lists append new items.
 *  - pre_merge: the same, `current` wins; lists put `next`'s items first.
 *  - replace: `next` replaces the field; isnull: `next` only fills empty fields.
 * A key absent or null on one side always takes the other side's value.
 */
export type PatchStrategy = 'post_merge' | 'pre_merge' | 'replace' | 'isnull';

export function patch<T>(current: T, next: unknown, strategy: PatchStrategy = 'post_merge'): T {
  if (next === undefined || next === null) return current;
  if (current === undefined || current === null) return next as T;
  if (isPlainObject(current) && isPlainObject(next)) {
    const out: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(next)) out[key] = mergeField(out[key], value, strategy);
    return out as T;
  }
  return mergeField(current, next, strategy) as T;
}

function mergeField(current: unknown, next: unknown, strategy: PatchStrategy): unknown {
  if (next === undefined || next === null) return current;
  if (current === undefined || current === null) return next;
  switch (strategy) {
    case 'replace':
      return next;
    case 'isnull':
      return current;
    case 'post_merge':
    case 'pre_merge': {
      if (isPlainObject(current) && isPlainObject(next)) return patch(current, next, strategy);
      if (Array.isArray(current) && Array.isArray(next)) {
        const [first, second]: [unknown[], unknown[]] = strategy === 'post_merge' ? [current, next] : [next, current];
        const keys = new Set(first.map((item) => JSON.stringify(item)));
        return [...first, ...second.filter((item) => !keys.has(JSON.stringify(item)))];
      }
      return strategy === 'post_merge' ? next : current;
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
