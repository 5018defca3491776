import { diagnostic, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { formatJson, formatText } from '../diagnostics/format.js';
import { COMMAND_LINE } from '../load.js';
import type { Console } from './io.js';
import type { DiagnosticsFormat } from './options.js';

/**
 * Where a command prints its problems. As text they go to stderr. As JSON they are one array:
 * on stdout for `validate`, whose output they are, and on stderr for `transpile` and `graph`,
 * so that their stdout holds only the manifest or the diagram (a failed run leaves it empty).
 */
export interface Reporter {
  readonly format: DiagnosticsFormat;
  readonly channel: 'stdout' | 'stderr';
}

export function reporter(command: string | undefined, format: DiagnosticsFormat): Reporter {
  return { format, channel: format === 'json' && command === 'validate' ? 'stdout' : 'stderr' };
}

/** Prints `diagnostics`: as text only when there are some; as JSON always (`[]` when none). */
export function printDiagnostics(io: Console, report: Reporter, diagnostics: readonly Diagnostic[]): void {
  if (report.format === 'json') io[report.channel](`${formatJson(diagnostics)}\n`);
  else if (diagnostics.length) io.stderr(`${formatText(diagnostics)}\n`);
}

/** A problem with the command line itself, placed at `<command line>` like `--param` values. */
export function commandLineDiagnostic(
  code: DiagnosticCode,
  message: string,
  options: { field?: string; hint?: string } = {},
): Diagnostic {
  return diagnostic({
    code,
    message,
    location: { file: COMMAND_LINE, line: 1, column: 1 },
    ...(options.field ? { field: options.field } : {}),
    ...(options.hint ? { hint: options.hint } : {}),
  });
}
