import type { LineCounter } from 'yaml';
import { structural } from './structural.js';

/**
 * PyYAML ignores indentation inside `[…]` and `{…}` (the YAML spec and the `yaml` package want
 * their lines indented past the block they sit in). Real Polyaxonfiles rely on it, e.g.
 *
 *     args: [
 *       "--lr={{ lr }}",
 *   ]                       ← closed left of its key
 *
 * Such a file is read a second time with those lines indented just enough. Spaces at the start
 * of a line inside a flow collection change no value (line folding drops them), and `shifts`
 * lets diagnostics point at the columns of the file as written.
 */
export interface Reindented {
  text: string;
  /** Spaces added at the start of each 1-based line. */
  shifts: Map<number, number>;
}

export function indentFlowCollections(text: string): Reindented | undefined {
  const pads: { at: number; spaces: number }[] = [];
  let depth = 0;
  let required = 0;
  for (const [i, c] of structural(text)) {
    if (c === '[' || c === '{') {
      if (depth++ === 0) required = indentAt(text, text.lastIndexOf('\n', i) + 1) + 1;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n' && depth > 0) {
      const indent = indentAt(text, i + 1);
      const rest = text[i + 1 + indent];
      if (indent < required && rest !== undefined && rest !== '\n' && rest !== '\r')
        pads.push({ at: i + 1, spaces: required - indent });
    }
  }
  if (pads.length === 0) return undefined;
  let out = '';
  let from = 0;
  let line = 1;
  const shifts = new Map<number, number>();
  for (const { at, spaces } of pads) {
    const chunk = text.slice(from, at);
    line += countNewlines(chunk);
    out += chunk + ' '.repeat(spaces);
    from = at;
    shifts.set(line, spaces);
  }
  return { text: out + text.slice(from), shifts };
}

/** Makes `lineCounter` (counting the re-indented text) report the columns of the original text. */
export function unshiftColumns(lineCounter: LineCounter, shifts: ReadonlyMap<number, number>): void {
  const linePos = lineCounter.linePos;
  lineCounter.linePos = (offset) => {
    const position = linePos(offset);
    const shift = shifts.get(position.line) ?? 0;
    return { line: position.line, col: Math.max(1, position.col - shift) };
  };
}

function indentAt(text: string, lineStart: number): number {
  let n = 0;
  while (text[lineStart + n] === ' ') n++;
  return n;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
