import * as core from '@actions/core';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { COMMAND_LINE } from '../load.js';
import { redact } from './secrets.js';

/**
 * Each diagnostic as a workflow-command annotation at its file, line and column. Problems with
 * the `params` input have no place in a file GitHub could show: they are annotations of the
 * step, saying where they come from and which file they were checked against.
 */
export function annotate(diagnostics: readonly Diagnostic[], checkedFile?: string): void {
  for (const d of diagnostics) {
    const fromParams = d.location.file === COMMAND_LINE;
    const properties = fromParams
      ? { title: d.code }
      : { title: d.code, file: d.location.file, startLine: d.location.line, startColumn: d.location.column };
    const text = fromParams
      ? `input \`params\`${checkedFile ? ` (checking ${checkedFile})` : ''}: ${d.message}`
      : d.message;
    const message = redact(d.hint ? `${text}\n${d.hint}` : text);
    if (d.severity === 'error') core.error(message, properties);
    else core.warning(message, properties);
  }
}
