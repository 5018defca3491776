import type { Diagnostic } from './diagnostic.js';

/**
 * GNU-style text, one diagnostic per line, so editors and problem matchers can jump to it:
 *   path/to/file.yaml:12:7: error: <message> [<code>]
 *       hint: <suggested fix>
 */
export function formatText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const { file, line, column } = d.location;
      const head = `${file}:${line}:${column}: ${d.severity}: ${oneLine(d.message)} [${d.code}]`;
      return d.hint ? `${head}\n    hint: ${oneLine(d.hint)}` : head;
    })
    .join('\n');
}

/** The same diagnostics as a JSON array, for tools. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics, null, 2);
}

/**
 * A message must never break the one-line-per-diagnostic contract: a run of white space with a
 * line break in it becomes one space. (Matched run by run: `/\s*\n\s*` would scan a long run of
 * spaces again from each of them, quadratic in a value quoted in the message.)
 */
const oneLine = (text: string): string => text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));

/**
 * A count (a non-negative integer) as messages write it, `5,001`: what `toLocaleString('en-US')`
 * gives, without loading the ICU locale data on its first call (about 15 ms of a CLI run).
 */
export function formatCount(count: number): string {
  const digits = String(count);
  let text = '';
  for (let i = 0; i < digits.length; i++) text += (i > 0 && (digits.length - i) % 3 === 0 ? ',' : '') + digits[i];
  return text;
}
