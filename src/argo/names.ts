/**
 * Polyaxon names (`[-a-zA-Z0-9_]+`, any length) → Argo names: lowercase DNS-1123 labels
 * that never start with a digit (Argo rejects such task names when dependencies are used),
 * at most 63 characters, unique within their scope. The same inputs always give the same names,
 * so manifests diff cleanly.
 */

export const MAX_NAME_LENGTH = 63;

export function toArgoName(name: string, maxLength = MAX_NAME_LENGTH): string {
  // Runs of other characters and dashes become one dash; no dash at either end.
  let out = trimDashes(name.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  if (out === '') out = 'x';
  if (!/^[a-z]/.test(out)) out = `x-${out}`;
  if (out.length > maxLength) out = `${trimDashes(out.slice(0, maxLength - 9))}-${hash(name)}`;
  return out;
}

/** Hands out unique Argo names in one scope (the tasks of a DAG, the templates of a workflow). */
export class NameTable {
  private readonly used = new Set<string>();
  /** Argo name → the Polyaxon name it was made from. */
  readonly origins = new Map<string, string>();

  constructor(private readonly maxLength = MAX_NAME_LENGTH) {}

  claim(name: string): string {
    const base = toArgoName(name, this.maxLength);
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) {
      const suffix = `-${n}`;
      candidate = `${trimDashes(base.slice(0, this.maxLength - suffix.length))}${suffix}`;
    }
    this.used.add(candidate);
    this.origins.set(candidate, name);
    return candidate;
  }
}

/** 8 hex characters of FNV-1a: short, stable, good enough to keep truncated names apart. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Without dashes at either end; a loop, not `/-+$/`, which is quadratic on a long run of dashes. */
function trimDashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '-') start++;
  while (end > start && text[end - 1] === '-') end--;
  return text.slice(start, end);
}
