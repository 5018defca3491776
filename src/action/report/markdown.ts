import { renderLogTail, type LogTail } from '../../cluster/pod-log.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { COMMAND_LINE } from '../../load.js';
import type { ManifestDiff } from './manifest-diff.js';

/** What the Action found for one Polyaxonfile. */
export interface FileReport {
  file: string;
  /** A component is used by other Polyaxonfiles; a pipeline (the default) runs on its own. */
  role?: 'pipeline' | 'component';
  /** Why a pull request checks it: "changed", or "uses `hub/trainer.yaml`, changed". */
  reason?: string;
  diagnostics: Diagnostic[];
  /** The dag as Mermaid, when the file is valid. */
  mermaid?: string;
  operations?: number;
  /** Against the pull request's base; undefined when there is no base (push) or it failed. */
  diff?: ManifestDiff | 'new-file';
}

export const COMMENT_MARKER = '<!-- polyaxon-argo:validate -->';
/** GitHub refuses comments over 65,536 characters; leave room for the marker and the footer. */
export const COMMENT_LIMIT = 60_000;

/** Mermaid blocks GitHub refuses to draw (its guard rails) become a note instead. */
const MERMAID_LIMIT = 45_000;

/** The report shared by the sticky PR comment and the job summary. */
export function renderReport(
  reports: readonly FileReport[],
  options: { title: string; footer?: string; limit?: number; skipped?: number; none?: string },
): string {
  const invalid = reports.filter((r) => r.diagnostics.some((d) => d.severity === 'error')).length;
  const verdict =
    reports.length === 0
      ? `⚠️ ${options.none ?? 'No Polyaxonfile was checked.'}`
      : invalid === 0
        ? `✅ ${plural(reports.length, 'Polyaxonfile')} valid`
        : `❌ ${invalid} of ${plural(reports.length, 'Polyaxonfile')} invalid`;
  const skipped = options.skipped
    ? ` (${plural(options.skipped, 'other YAML/JSON file')} skipped: not Polyaxonfiles)`
    : '';
  const head = `## ${options.title}\n\n${verdict}${skipped}\n`;
  const sections = reports.map(renderFile);
  let body = [head, ...sections].join('\n');
  const limit = options.limit ?? Infinity;
  if (body.length > limit) {
    // Keep whole sections while they fit, then say how many were left out.
    body = head;
    let shown = 0;
    for (const section of sections) {
      if (body.length + section.length + 200 > limit) break;
      body += `\n${section}`;
      shown++;
    }
    body += `\n_${sections.length - shown} more file(s) not shown here: see the job summary._\n`;
  }
  return options.footer ? `${body}\n${options.footer}\n` : body;
}

function renderFile(report: FileReport): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  const warnings = report.diagnostics.length - errors.length;
  const verdict = errors.length
    ? `❌ \`${report.file}\`: ${plural(errors.length, 'error')}`
    : `✅ \`${report.file}\`: valid${report.operations !== undefined ? `, ${plural(report.operations, 'operation')}` : ''}`;
  const role = report.role === 'component' ? ' (component)' : '';
  const lines = [`### ${verdict}${warnings ? `, ${plural(warnings, 'warning')}` : ''}${role}`, ''];
  if (report.reason) lines.push(`_Checked: ${report.reason}._`, '');
  if (report.diagnostics.length) {
    lines.push('| where | | problem | rule |', '|---|---|---|---|');
    for (const d of report.diagnostics) {
      // A `params` value has no place in a file; in the Action it comes from the input.
      const where =
        d.location.file === COMMAND_LINE
          ? 'input `params`'
          : `${d.location.file === report.file ? '' : `${d.location.file}:`}${d.location.line}:${d.location.column}`;
      const message = cell(d.hint ? `${d.message} (${d.hint})` : d.message);
      lines.push(`| ${where} | ${d.severity === 'error' ? '❌' : '⚠️'} | ${message} | \`${d.code}\` |`);
    }
    lines.push('');
  }
  if (report.diff) lines.push(renderDiff(report.diff), '');
  if (report.mermaid) {
    lines.push('<details><summary>DAG</summary>', '');
    lines.push(
      report.mermaid.length > MERMAID_LIMIT
        ? '_The dag is too large for GitHub to draw._'
        : ['```mermaid', report.mermaid.trimEnd(), '```'].join('\n'),
    );
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function renderDiff(diff: ManifestDiff | 'new-file'): string {
  if (diff === 'new-file') return '**Argo manifest:** new pipeline.';
  const parts = [
    diff.added.length ? `added ${names(diff.added)}` : '',
    diff.removed.length ? `removed ${names(diff.removed)}` : '',
    diff.changed.length ? `changed ${names(diff.changed)}` : '',
  ].filter(Boolean);
  return `**Argo manifest vs base:** ${parts.length ? parts.join('; ') : 'no operation changed'}.`;
}

const names = (list: readonly string[]) => list.map((n) => `\`${n}\``).join(', ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A table cell: no raw newlines or pipes, no HTML. */
const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .split('\n')
    .map((line) => line.trim())
    .join(' ');

/**
 * The failed operations for the job summary: a link to each one's check run, which shows its
 * log tail; the tail itself when the operation has no check run of its own.
 */
export function renderFailureLogs(
  tails: readonly LogTail[],
  checkUrl: (operation: string) => string | undefined,
): string {
  if (!tails.length) return '';
  const lines = ['', '#### Failed operations', ''];
  for (const tail of tails) {
    const url = checkUrl(tail.operation);
    const code = tail.exitCode === undefined ? '' : `, exit code ${tail.exitCode}`;
    lines.push(
      url
        ? `- \`${tail.operation}\`: \`${tail.step}\` failed${code}: [last lines of its log](${url})`
        : `- \`${tail.operation}\`:\n\n${renderLogTail(tail)}\n`,
    );
  }
  return `${lines.join('\n')}\n`;
}
