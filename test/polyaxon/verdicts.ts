import { readFileSync } from 'node:fs';
import { isError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadPolyaxonfile } from '../../src/load.js';
import type { PolyaxonJudge } from '../support/polyaxon-judge.js';
import { REPO_ROOT } from '../support/paths.js';

export type Verdict = 'valid' | 'invalid';

export interface Verdicts {
  polyaxon: Verdict;
  /** Polyaxon's error, when it refuses. */
  polyaxonSays?: string;
  ours: Verdict;
  /** Our errors, when we refuse. */
  errors: Diagnostic[];
}

export interface Judged {
  file: string;
  hubDir?: string;
  params?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Both verdicts on one file: ours is the front end (`loadPolyaxonfile`: Polyaxon's rules, what
 * `validate` says), offline like the judge; Polyaxon's is `polyaxon check` with the same params
 * and hub (served at `hubUrl`).
 */
export async function judgeBoth(judge: PolyaxonJudge, file: Judged, hubUrl: string | undefined): Promise<Verdicts> {
  const text = readFileSync(file.file, 'utf8');
  const [ours, theirs] = await Promise.all([
    loadPolyaxonfile(file.file, text, {
      absolutePath: file.file,
      offline: true,
      cwd: REPO_ROOT,
      ...(file.hubDir ? { hubDir: file.hubDir } : {}),
      ...(file.params ? { params: file.params } : {}),
    }),
    judge.check(file.file, { ...(file.params ? { params: file.params } : {}), ...(hubUrl ? { hub: hubUrl } : {}) }),
  ]);
  const errors = ours.diagnostics.filter(isError);
  return {
    polyaxon: theirs.valid ? 'valid' : 'invalid',
    ...(theirs.message ? { polyaxonSays: theirs.message } : {}),
    ours: errors.length ? 'invalid' : 'valid',
    errors,
  };
}

export const agree = (v: Verdicts) => v.polyaxon === v.ours;

/** One line per verdict, for failure messages. */
export function describeVerdicts(v: Verdicts): string {
  const polyaxon = v.polyaxon === 'valid' ? 'Polyaxon: valid' : `Polyaxon: invalid (${oneLine(v.polyaxonSays ?? '')})`;
  const ours =
    v.ours === 'valid'
      ? 'ours: valid'
      : `ours: invalid (${v.errors
          .slice(0, 3)
          .map((d) => `${d.location.line}:${d.location.column} ${d.code}: ${d.message}`)
          .join('; ')})`;
  return `${polyaxon}\n    ${ours}`;
}

const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
};
