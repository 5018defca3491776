import type { Document, LineCounter } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostic, DiagnosticCode, Location } from '../diagnostics/diagnostic.js';
import { severityOf } from '../diagnostics/codes.js';

/** A path into a parsed document: map keys and sequence indexes, as zod reports them. */
export type Path = readonly (string | number)[];

/**
 * One Polyaxonfile as read: its text, its YAML document (which keeps every node's offsets)
 * and the plain value the rest of the pipeline works on.
 */
export interface SourceFile {
  /** The name shown in diagnostics: the path as the user gave it, `<stdin>`, or a URL. */
  readonly name: string;
  /** Absolute path on disk, used to resolve `pathRef`; absent for stdin and URLs. */
  readonly absolutePath?: string;
  readonly text: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly value: unknown;
}

/** Where a diagnostic should point: at the key of a field (the default) or at its value. */
export type Anchor = 'key' | 'value';

/**
 * Finds the place of `path` in the file. Keys written in snake_case match their camelCase
 * path segment (Kubernetes objects accept both). When the path does not exist (a missing field,
 * a short-form param) it points at the deepest part that does.
 */
export function locate(source: SourceFile, path: Path, anchor: Anchor = 'key'): Location {
  let node: Node | null = source.document.contents;
  let keyNode: Node | null = null;
  for (const segment of path) {
    const next: { key: Node | null; value: Node | null } | undefined = child(source, node, segment);
    if (!next) break;
    keyNode = next.key;
    node = next.value ?? next.key;
  }
  const target = anchor === 'key' ? (keyNode ?? node) : (node ?? keyNode);
  return toLocation(source, target?.range?.[0] ?? 0, target?.range?.[1]);
}

/** The location of a raw character offset, e.g. from a YAML syntax error. */
export function toLocation(
  source: SourceFile | { name: string; lineCounter: LineCounter },
  start: number,
  end?: number,
): Location {
  const from = source.lineCounter.linePos(start);
  const location: Location = { file: source.name, line: from.line, column: from.col };
  if (end !== undefined && end > start) {
    const to = source.lineCounter.linePos(end);
    location.endLine = to.line;
    location.endColumn = to.col;
  }
  return location;
}

function child(
  source: SourceFile,
  parent: Node | null,
  segment: string | number,
): { key: Node | null; value: Node | null } | undefined {
  const node = isAlias(parent) ? ((parent.resolve(source.document) as Node | undefined) ?? null) : parent;
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item ? { key: null, value: item } : undefined;
  }
  if (!isMap(node)) return undefined;
  const wanted = String(segment);
  let merged: { key: Node | null; value: Node | null } | undefined;
  for (const pair of node.items) {
    if (!isPair(pair)) continue;
    const key = pair.key as Node | null;
    const name = isScalar(key) ? String(key.value) : undefined;
    if (name === wanted || (name !== undefined && camelCase(name) === wanted)) {
      return { key, value: pair.value as Node | null };
    }
    // YAML merge keys (`<<: *base`): look inside the merged map as a fallback.
    if (name === '<<' && !merged) merged = child(source, pair.value as Node | null, segment);
  }
  return merged;
}

export const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Renders a path the way users read it: `run.operations[2].params.lr`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

export interface DiagnosticOptions {
  hint?: string | undefined;
  /** Point at the field's key (default) or at its value. */
  anchor?: Anchor;
}

/** A diagnostic about the field at `path` of `source`: the one way every stage reports a problem. */
export function diagnosticAt(
  source: SourceFile,
  path: Path,
  code: DiagnosticCode,
  message: string,
  options: DiagnosticOptions = {},
): Diagnostic {
  return {
    severity: severityOf(code),
    code,
    message,
    location: locate(source, path, options.anchor ?? 'key'),
    field: formatPath(path),
    ...(options.hint ? { hint: options.hint } : {}),
  };
}
