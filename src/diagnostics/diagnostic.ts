/**
 * A diagnostic is one problem found in a Polyaxonfile, always tied to a place in a file.
 * Every stage of the pipeline reports problems this way, so the CLI and the GitHub Action
 * can print them, annotate them and count them without knowing which stage found them.
 */

import { severityOf, type DiagnosticCode, type Severity } from './codes.js';

export type { DiagnosticCode, Severity };

/** A 1-based line/column position in a source file. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable, kebab-case identifier of the problem: one of the registry in codes.ts. */
  code: DiagnosticCode;
  message: string;
  location: Location;
  /** Dotted path of the offending field inside the file, e.g. `run.operations[2].params.lr`. */
  field?: string;
  /** A suggested fix, printed on its own line. */
  hint?: string;
}

export const isError = (d: Diagnostic): boolean => d.severity === 'error';

/** Orders diagnostics by file, then position, so output is stable whatever order rules ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compare(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      compare(a.code, b.code) ||
      compare(a.message, b.message),
  );
}

/** Drops exact repeats (the same problem reached through two paths, e.g. a shared component). */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.location.file}:${d.location.line}:${d.location.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A diagnostic whose severity is the one its code has in the registry. */
export const diagnostic = (fields: Omit<Diagnostic, 'severity'>): Diagnostic => ({
  severity: severityOf(fields.code),
  ...fields,
});
