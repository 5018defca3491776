/**
 * The part of Jinja that Polyaxonfiles use in practice, parsed just enough to translate it
 * into Argo tags: text with `{{ reference }}` blocks (references being dotted names and
 * `['key']` subscripts), and, for `conditions`, boolean expressions over such references.
 * Anything else (statements, filters, arithmetic in text) is reported, never passed through:
 * Argo would leave it as a literal, broken string.
 */

export type TemplatePart =
  { kind: 'text'; text: string } | { kind: 'reference'; path: string[]; source: string; offset: number };

export interface JinjaError {
  error: string;
  /** Character offset in the template text. */
  offset: number;
}

const isError = (value: unknown): value is JinjaError =>
  typeof value === 'object' && value !== null && 'error' in value;
export { isError as isJinjaError };

/**
 * Splits a template into text and `{{ reference }}` parts. Jinja's ways of writing literal
 * braces, `{{ '{{x}}' }}` and `{% raw %}…{% endraw %}`, become text (see `literalProblem`).
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
    const open = text.slice(cursor).search(/\{[{%#]/);
    if (open === -1) {
      pushText(text.slice(cursor));
      break;
    }
    const start = cursor + open;
    pushText(text.slice(cursor, start));
    const kind = text[start + 1];
    const close = closingOf(text, start + 2, kind === '{' ? '}}' : kind === '%' ? '%}' : '#}', kind === '{');
    if (close === -1) return { error: `unclosed \`${text.slice(start, start + 2)}\``, offset: start };
    cursor = close + 2;
    if (kind === '#') continue;
    const source = text.slice(start + 2, close).trim();
    if (kind === '%') {
      if (source.replace(/^-|-$/g, '').trim() !== 'raw')
        return {
          error: `Jinja statements (\`${text.slice(start, close + 2)}\`) cannot be translated to Argo`,
          offset: start,
        };
      const end = /\{%-?\s*endraw\s*-?%\}/.exec(text.slice(cursor));
      if (!end) return { error: '`{% raw %}` without `{% endraw %}`', offset: start };
      pushText(text.slice(cursor, cursor + end.index));
      cursor += end.index + end[0].length;
      continue;
    }
    const literal = /^(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")$/.exec(source);
    if (literal) {
      pushText((literal[1] ?? literal[2]!).replace(/\\(.)/g, '$1'));
      continue;
    }
    const path = parseReference(source);
    if (!path)
      return {
        error: `\`{{ ${source} }}\` is a Jinja expression that cannot be translated to Argo: only references such as \`{{ lr }}\`, \`{{ params.lr.as_arg }}\` or \`{{ globals.uuid }}\` can`,
        offset: start,
      };
    parts.push({ kind: 'reference', path, source, offset: start });
  }
  return parts;
}

/** The index of `close` after `from`; in expressions, quoted strings are skipped (`{{ '}}' }}`). */
function closingOf(text: string, from: number, close: string, expression: boolean): number {
  let quote: string | undefined;
  for (let i = from; i < text.length - 1; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (expression && (c === "'" || c === '"')) quote = c;
    else if (text.startsWith(close, i)) return i;
  }
  return -1;
}

/**
 * Argo expands every `{{…}}` in the text it is given, with no escape: literal text that
 * contains `{{` (from `{{ '{{x}}' }}` or `{% raw %}`) would be evaluated by Argo. Until a
 * representation is verified against the real controller, such text is refused.
 */
export function literalProblem(text: string): string | undefined {
  return text.includes('{{')
    ? `the literal text \`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\` contains \`{{\`, which Argo would expand as its own tag`
    : undefined;
}

/** `a.b['c'].d` → ['a', 'b', 'c', 'd']; undefined for anything that is not a plain reference. */
export function parseReference(source: string): string[] | undefined {
  const path: string[] = [];
  const pattern = /^\s*(?:([A-Za-z_][\w-]*)|\.\s*([A-Za-z_][\w-]*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+))\s*\])/;
  let rest = source;
  while (rest.trim() !== '') {
    const match = pattern.exec(rest);
    if (!match || (match[1] !== undefined && path.length > 0)) return undefined;
    path.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? match[5]!);
    rest = rest.slice(match[0].length);
  }
  return path.length ? path : undefined;
}

/** Does the text contain anything Jinja would render? */
export const hasJinja = (text: string): boolean => /\{[{%#]/.test(text);

// ---------------------------------------------------------------------------------------------
// Conditions: `{{ loss < 0.5 and not skip }}` → a govaluate expression for Argo's `when`.

export interface ConditionOperand {
  /** The Argo tag that yields the value, e.g. `{{tasks.train.outputs.parameters.loss}}`. */
  tag: string;
  /** Numbers and booleans compare bare; everything else is quoted. */
  numeric: boolean;
}

type Token = { kind: 'name'; path: string[] } | { kind: 'number' | 'string' | 'op' | 'paren'; text: string };

const OPERATORS: Record<string, string> = {
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  and: '&&',
  or: '||',
  not: '!',
};

/**
 * Translates the expression inside `conditions: "{{ … }}"`. `resolve` maps a name (its path)
 * to an operand or an error message.
 */
export function translateCondition(
  expression: string,
  resolve: (path: string[]) => ConditionOperand | string,
): string | JinjaError {
  const tokens = tokenize(expression);
  if (isError(tokens)) return tokens;
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.kind) {
      case 'name': {
        const [head] = token.path;
        if (token.path.length === 1 && /^(true|false)$/i.test(head!)) {
          out.push(head!.toLowerCase());
          break;
        }
        const operand = resolve(token.path);
        if (typeof operand === 'string') return { error: operand, offset: 0 };
        out.push(operand.numeric ? operand.tag : `'${operand.tag}'`);
        break;
      }
      case 'string':
        out.push(`'${token.text.replace(/'/g, "\\'")}'`);
        break;
      case 'op':
        out.push(OPERATORS[token.text]!);
        break;
      default:
        out.push(token.text);
    }
  }
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/! /g, '!');
}

function tokenize(expression: string): Token[] | JinjaError {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+(?:\.\d+)?)|'([^']*)'|"([^"]*)"|(==|!=|<=|>=|<|>)|([()])|([A-Za-z_][\w-]*(?:\s*(?:\.\s*[A-Za-z_][\w-]*|\[\s*(?:'[^']*'|"[^"]*"|\d+)\s*\]))*))/y;
  let position = 0;
  while (position < expression.length) {
    if (expression.slice(position).trim() === '') break;
    pattern.lastIndex = position;
    const match = pattern.exec(expression);
    if (!match)
      return {
        error: `cannot translate \`${expression.slice(position).trim()}\` in the condition to Argo: use comparisons (==, !=, <, <=, >, >=) of params and literals joined by and, or, not`,
        offset: position,
      };
    position = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'number', text: match[1] });
    else if (match[2] !== undefined || match[3] !== undefined)
      tokens.push({ kind: 'string', text: match[2] ?? match[3]! });
    else if (match[4] !== undefined) tokens.push({ kind: 'op', text: match[4] });
    else if (match[5] !== undefined) tokens.push({ kind: 'paren', text: match[5] });
    else {
      const word = match[6]!;
      if (word in OPERATORS) tokens.push({ kind: 'op', text: word });
      else if (['in', 'is', 'if', 'else'].includes(word))
        return { error: `\`${word}\` cannot be translated to an Argo condition`, offset: position };
      else tokens.push({ kind: 'name', path: parseReference(word)! });
    }
  }
  return tokens;
}
