/**
 * The part of Jinja that Polyaxonfiles use, parsed into trees binding can translate to Argo:
 * text with `{{ … }}` blocks, `{% raw %}` and comments, and the expressions inside blocks
 * (references such as `lr` or `params.lr.as_arg`, literals, comparisons, `in`, `not`, `and`,
 * `or`, parentheses). Anything else (statements, filters, calls, arithmetic) is an error with
 * its offset, never passed through: Argo would take it as its own syntax or as broken text.
 */

export interface JinjaError {
  error: string;
  /** Character offset in the template text. */
  offset: number;
}

export const isJinjaError = (value: unknown): value is JinjaError =>
  typeof value === 'object' && value !== null && 'error' in value && 'offset' in value;

export type TemplatePart =
  { kind: 'text'; text: string } | { kind: 'block'; expression: JinjaExpression; source: string; offset: number };

export type JinjaExpression =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list'; items: JinjaExpression[] }
  /** `a.b['c']`: a name and its attribute or subscript path. */
  | { kind: 'reference'; path: string[]; source: string }
  | { kind: 'compare'; operator: '==' | '!=' | '<' | '<=' | '>' | '>='; left: JinjaExpression; right: JinjaExpression }
  | { kind: 'in'; negated: boolean; item: JinjaExpression; container: JinjaExpression }
  | { kind: 'not'; operand: JinjaExpression }
  | { kind: 'and' | 'or'; left: JinjaExpression; right: JinjaExpression };

/** Does the text contain anything Jinja would render? */
/** The param a reference reads: `x` or `params.x.value`; undefined for anything else. */
export function paramNameOf(path: readonly string[]): string | undefined {
  if (path.length === 1) return path[0];
  return path.length === 3 && path[0] === 'params' && path[2] === 'value' ? path[1] : undefined;
}

export const hasJinja = (text: string): boolean => /\{[{%#]/.test(text);

/**
 * Splits a template into text and `{{ … }}` blocks. Jinja's ways of writing literal braces,
 * `{{ '{{x}}' }}` and `{% raw %}…{% endraw %}`, become text.
 */
export function parseTemplate(text: string): TemplatePart[] | JinjaError {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  const pushText = (value: string) => {
    const last = parts.at(-1);
    if (last?.kind === 'text') last.text += value;
    else if (value) parts.push({ kind: 'text', text: value });
  };
  while (cursor < text.length) {
    const start = nextOpening(text, cursor);
    if (start === -1) {
      pushText(text.slice(cursor));
      break;
    }
    pushText(text.slice(cursor, start));
    const kind = text[start + 1];
    const close = closingOf(text, start + 2, kind === '{' ? '}}' : kind === '%' ? '%}' : '#}', kind === '{');
    if (close === -1) return { error: `unclosed \`${text.slice(start, start + 2)}\``, offset: start };
    cursor = close + 2;
    if (kind === '#') continue;
    const source = text.slice(start + 2, close);
    if (kind === '%') {
      if (source.trim().replace(/^-|-$/g, '').trim() !== 'raw')
        return {
          error: `Jinja statements (\`${text.slice(start, close + 2)}\`) cannot be translated to Argo`,
          offset: start,
        };
      const end = findEndRaw(text, cursor);
      if (!end) return { error: '`{% raw %}` without `{% endraw %}`', offset: start };
      pushText(text.slice(cursor, end.start));
      cursor = end.end;
      continue;
    }
    const expression = parseExpression(source, start + 2);
    if (isJinjaError(expression)) return expression;
    // A string literal block is literal text: Jinja's way of writing `{{` (`{{ '{{' }}`).
    if (expression.kind === 'string') pushText(expression.value);
    else parts.push({ kind: 'block', expression, source: source.trim(), offset: start });
  }
  return parts;
}

/** The next `{{`, `{%` or `{#` at or after `from`, without a regular expression over the rest. */
function nextOpening(text: string, from: number): number {
  for (let i = text.indexOf('{', from); i !== -1 && i < text.length - 1; i = text.indexOf('{', i + 1)) {
    const next = text[i + 1];
    if (next === '{' || next === '%' || next === '#') return i;
  }
  return -1;
}

/** The index of `close` after `from`; in expressions, quoted strings are skipped (`{{ '}}' }}`). */
function closingOf(text: string, from: number, close: string, expression: boolean): number {
  let quote: string | undefined;
  for (let i = from; i < text.length - 1; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (expression && (c === "'" || c === '"')) quote = c;
    else if (c === close[0] && text[i + 1] === close[1]) return i;
  }
  return -1;
}

/** `{% endraw %}` (with optional `-` trims) at or after `from`. */
function findEndRaw(text: string, from: number): { start: number; end: number } | undefined {
  for (let i = text.indexOf('{%', from); i !== -1; i = text.indexOf('{%', i + 2)) {
    const close = text.indexOf('%}', i + 2);
    if (close === -1) return undefined;
    if (
      text
        .slice(i + 2, close)
        .trim()
        .replace(/^-|-$/g, '')
        .trim() === 'endraw'
    )
      return { start: i, end: close + 2 };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Expressions: a small recursive-descent parser over Jinja's grammar, for the subset above.

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'punct'; value: string; at: number }
  | { kind: 'end'; at: number };

const KEYWORDS: Record<string, JinjaExpression> = {
  true: { kind: 'bool', value: true },
  True: { kind: 'bool', value: true },
  false: { kind: 'bool', value: false },
  False: { kind: 'bool', value: false },
  none: { kind: 'none' },
  None: { kind: 'none' },
};

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** Parses the expression inside a `{{ … }}` block; `base` is its offset in the whole text. */
export function parseExpression(source: string, base = 0): JinjaExpression | JinjaError {
  const tokens = tokenize(source, base);
  if (isJinjaError(tokens)) return tokens;
  let position = 0;
  const peek = (): Token => tokens[position] ?? { kind: 'end', at: base + source.length };
  const take = (): Token => tokens[position++] ?? { kind: 'end', at: base + source.length };
  const isWord = (token: Token, word: string) => token.kind === 'name' && token.value === word;
  const isPunct = (token: Token, value: string) => token.kind === 'punct' && token.value === value;
  const fail = (token: Token, what: string): JinjaError => ({ error: what, offset: token.at });
  const describe = (token: Token) =>
    token.kind === 'end' ? 'the end' : `\`${source.slice(token.at - base).split(/\s/)[0]}\``;

  const parseOr = (): JinjaExpression | JinjaError => {
    let left = parseAnd();
    while (!isJinjaError(left) && isWord(peek(), 'or')) {
      take();
      const right = parseAnd();
      if (isJinjaError(right)) return right;
      left = { kind: 'or', left, right };
    }
    return left;
  };
  const parseAnd = (): JinjaExpression | JinjaError => {
    let left = parseNot();
    while (!isJinjaError(left) && isWord(peek(), 'and')) {
      take();
      const right = parseNot();
      if (isJinjaError(right)) return right;
      left = { kind: 'and', left, right };
    }
    return left;
  };
  const parseNot = (): JinjaExpression | JinjaError => {
    if (isWord(peek(), 'not')) {
      take();
      const operand = parseNot();
      return isJinjaError(operand) ? operand : { kind: 'not', operand };
    }
    return parseComparison();
  };
  const parseComparison = (): JinjaExpression | JinjaError => {
    const left = parsePrimary();
    if (isJinjaError(left)) return left;
    const token = peek();
    let result: JinjaExpression;
    if (token.kind === 'punct' && COMPARISONS.has(token.value)) {
      take();
      const right = parsePrimary();
      if (isJinjaError(right)) return right;
      result = { kind: 'compare', operator: token.value as '==', left, right };
    } else if (isWord(token, 'in') || (isWord(token, 'not') && isWord(tokens[position + 1] ?? peek(), 'in'))) {
      const negated = isWord(take(), 'not');
      if (negated) take();
      const container = parsePrimary();
      if (isJinjaError(container)) return container;
      result = { kind: 'in', negated, item: left, container };
    } else return left;
    const next = peek();
    if ((next.kind === 'punct' && COMPARISONS.has(next.value)) || isWord(next, 'in'))
      return fail(next, 'chained comparisons (`a < b < c`) cannot be translated to Argo: write `a < b and b < c`');
    return result;
  };
  const parsePrimary = (): JinjaExpression | JinjaError => {
    const token = take();
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (isPunct(token, '-') && peek().kind === 'number') {
      const number = take() as { value: number };
      return { kind: 'number', value: -number.value };
    }
    if (isPunct(token, '(')) {
      const inner = parseOr();
      if (isJinjaError(inner)) return inner;
      if (!isPunct(take(), ')')) return fail(token, 'unbalanced `(`');
      return inner;
    }
    if (isPunct(token, '[')) {
      const items: JinjaExpression[] = [];
      while (!isPunct(peek(), ']')) {
        const item = parseOr();
        if (isJinjaError(item)) return item;
        items.push(item);
        if (isPunct(peek(), ',')) take();
        else if (!isPunct(peek(), ']'))
          return fail(peek(), `expected \`,\` or \`]\` in a list, found ${describe(peek())}`);
      }
      take();
      return { kind: 'list', items };
    }
    if (token.kind === 'name') {
      const keyword = KEYWORDS[token.value];
      if (keyword) return keyword;
      if (['and', 'or', 'not', 'in', 'is', 'if', 'else'].includes(token.value))
        return fail(token, `\`${token.value}\` cannot start a value here`);
      const path = [token.value];
      let end = token.at + token.value.length;
      for (;;) {
        if (isPunct(peek(), '.') && tokens[position + 1]?.kind === 'name') {
          take();
          const attribute = take() as { value: string; at: number };
          path.push(attribute.value);
          end = attribute.at + attribute.value.length;
        } else if (isPunct(peek(), '[')) {
          take();
          const key = take();
          const close = take();
          if ((key.kind !== 'string' && key.kind !== 'number') || !isPunct(close, ']'))
            return fail(key, "only constant subscripts (`a['key']`, `a[0]`) can be translated to Argo");
          path.push(String(key.value));
          end = close.at + 1;
        } else break;
      }
      const next = peek();
      if (isPunct(next, '(')) return fail(next, `calls (\`${path.join('.')}(…)\`) cannot be translated to Argo`);
      if (isPunct(next, '|')) return fail(next, 'Jinja filters (`| …`) cannot be translated to Argo');
      return { kind: 'reference', path, source: source.slice(token.at - base, end - base) };
    }
    return fail(token, `unexpected ${describe(token)}`);
  };

  const expression = parseOr();
  if (isJinjaError(expression)) return expression;
  const rest = peek();
  if (rest.kind !== 'end') {
    if (isPunct(rest, '|')) return fail(rest, 'Jinja filters (`| …`) cannot be translated to Argo');
    const previous = tokens[position - 1];
    if (
      isPunct(rest, '-') &&
      previous?.kind === 'name' &&
      previous.at + previous.value.length === rest.at &&
      tokens[position + 1]?.kind === 'name'
    ) {
      const next = tokens[position + 1];
      return fail(rest, dashedName(expression, next?.kind === 'name' ? next.value : ''));
    }
    if (rest.kind === 'punct' && ['+', '-', '*', '/', '%', '~'].includes(rest.value))
      return fail(
        rest,
        `arithmetic (\`${rest.value}\`) cannot be translated to Argo: compute the value in a job and pass it as a param`,
      );
    if (isWord(rest, 'is')) return fail(rest, 'Jinja tests (`is …`) cannot be translated to Argo');
    if (isWord(rest, 'if')) return fail(rest, 'inline `if … else` cannot be translated to Argo');
    return fail(rest, `unexpected ${describe(rest)}`);
  }
  return expression;
}

/** `a.training-data.b`: Jinja reads a subtraction; say how a name with `-` is written. */
function dashedName(before: JinjaExpression, after: string): string {
  const path = before.kind === 'reference' ? before.path : [];
  const name = `${path.at(-1) ?? ''}-${after}`;
  const head = path.slice(0, -1);
  const written = head.length ? `${head.join('.')}['${name}']` : `params['${name}'].value`;
  return `Jinja reads \`${name}\` as a subtraction: a name with \`-\` is written as a subscript, \`${written}\``;
}

function tokenize(source: string, base: number): Token[] | JinjaError {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = base + i;
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\' && j + 1 < source.length) {
          const escaped = source[++j]!;
          value += ESCAPES[escaped] ?? `\\${escaped}`;
        } else value += source[j];
      }
      if (j >= source.length) return { error: 'unclosed string', offset: at };
      tokens.push({ kind: 'string', value, at });
      i = j + 1;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(i, i + 64));
    if (number && /\d/.test(c)) {
      tokens.push({ kind: 'number', value: Number(number[0]), at });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], at });
      i += name[0].length;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '//', '**'].includes(two)) {
      tokens.push({ kind: 'punct', value: two, at });
      i += 2;
      continue;
    }
    if ('<>()[].,|+-*/%~'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, at });
      i++;
      continue;
    }
    return { error: `\`${c}\` cannot be translated to Argo`, offset: at };
  }
  return tokens;
}

/** Python's string escapes Jinja reads. */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
