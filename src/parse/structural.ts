/**
 * Each character of `text` before `end` that is outside quoted scalars and comments, with its
 * offset, and every newline (inside quotes too, so callers see each line start). A quote opens a quoted scalar only where one can start (at a line's
 * start, after a space or a flow indicator): the apostrophe of a plain `it's` is text.
 * Inside single quotes `''` is an escaped quote; inside double quotes `\` escapes the next character.
 */
export function* structural(text: string, end = text.length): Generator<[number, string]> {
  let quote: string | undefined;
  const stop = Math.min(end, text.length);
  for (let i = 0; i < stop; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\n') yield [i, c];
      else if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,]/.test(text[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline - 1; // the newline itself is still yielded
    } else yield [i, c];
  }
}
