import { BRACE_VARIABLE } from './contract.js';

/**
 * Argo text: every string the manifest carries, built from segments and encoded once, when it
 * is written.
 *
 * Argo expands `{{…}}` and evaluates `{{=…}}` wherever it substitutes, has no escape, and
 * substitutes again inside values it has just substituted. So the only `{{` a manifest may hold
 * are the tags we generate: a literal `{{` from the user must reach the process some other way,
 * and no `{{` may form where two parts meet (`a{` + `{x}}`, or a literal `{` glued to a tag).
 *
 * Kubernetes, later and on its own, expands `$(VAR)` in a container's command, args and env
 * values (`$$` being its escape). So where text reaches a container (`argv`), a brace that could
 * pair with another is written `$(POLYAXON_ARGO_LBRACE)`, a variable every container defines as
 * `{`; elsewhere (`plain`) nothing would decode it, and such text is refused while binding.
 */

export type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  /** An Argo variable, written `{{NAME}}`: `inputs.parameters.lr`, `workflow.name`… */
  | { readonly kind: 'variable'; readonly name: string }
  /** An expression tag `{{=…}}`. Its source is ours: it never holds `{{` or `}}`. */
  | { readonly kind: 'expression'; readonly source: string };

export interface ArgoText {
  readonly segments: readonly Segment[];
}

/**
 * Where text goes, which decides how literal braces reach it.
 * - `argv`: a container's command, args or env value, which the kubelet expands; also a
 *   parameter value, which reaches containers through the templates' text (where it reaches
 *   anything else, binding refuses a value that needed encoding);
 * - `file`: the same, but the text is written to a file, so a `$` must stay a `$` (`$$`);
 * - `plain`: anywhere else (image, labels, names, `when`…), where nothing decodes.
 *
 * How no `{{` can form where parts meet, in `argv`/`file`: a literal brace at a seam is encoded;
 * a value (variable) glued to another value or expression is passed through an expression that
 * encodes every brace it holds. Values at their entry hold no `{{` (literals are written as
 * `argv` text, task outputs through `encodedValueOf`).
 */
export type Delivery = 'argv' | 'file' | 'plain';

const BRACE = `$(${BRACE_VARIABLE})`;

export const literal = (text: string): ArgoText => ({ segments: text ? [{ kind: 'literal', text }] : [] });
export const variable = (name: string): ArgoText => ({ segments: [{ kind: 'variable', name }] });
export const expression = (source: string): ArgoText => ({ segments: [{ kind: 'expression', source }] });
export const EMPTY: ArgoText = { segments: [] };

/** Texts joined end to end; adjacent literals merge, so encoding sees every seam. */
export function concat(...texts: readonly ArgoText[]): ArgoText {
  const segments: Segment[] = [];
  for (const text of texts) {
    for (const segment of text.segments) {
      const last = segments.at(-1);
      if (segment.kind === 'literal' && last?.kind === 'literal') {
        segments[segments.length - 1] = { kind: 'literal', text: last.text + segment.text };
      } else if (segment.kind !== 'literal' || segment.text) segments.push(segment);
    }
  }
  return { segments };
}

export const join = (texts: readonly ArgoText[], separator: string): ArgoText =>
  concat(...texts.flatMap((text, i) => (i === 0 ? [text] : [literal(separator), text])));

/** The text holds no variable or expression: it is known before the run. */
export const isLiteral = (text: ArgoText): boolean => text.segments.every((s) => s.kind === 'literal');

/** The literal text of a text known before the run. */
export const literalText = (text: ArgoText): string =>
  text.segments.map((s) => (s.kind === 'literal' ? s.text : '')).join('');

/**
 * Why `text` cannot be written for `delivery`, if it cannot. Binding calls this for every text
 * it keeps, so writing (`render`) never fails.
 */
export function encodingProblem(text: ArgoText, delivery: Delivery): string | undefined {
  for (const [i, segment] of text.segments.entries()) {
    if (segment.kind !== 'literal') continue;
    const context = neighbours(text.segments, i);
    if (delivery === 'plain') {
      if (segment.text.includes('{{'))
        return `\`${abbreviate(segment.text)}\` holds \`{{\`, which Argo would read as a tag`;
      if ((context.before && segment.text.startsWith('{')) || (context.after && segment.text.endsWith('{')))
        return `a \`{\` next to a value in \`${abbreviate(segment.text)}\` would form \`{{\`, which Argo would read as a tag`;
      continue;
    }
    if (delivery === 'file') continue; // every `$` is escaped: the reference we insert stays whole.
    const encoded = encodeLiteral(segment.text, context);
    if (encoded !== segment.text && /(?<!\$)(?:\$\$)*\$\([^)]*$/.test(encoded.slice(0, encoded.indexOf(BRACE))))
      return `\`$(\` before \`{\` in \`${abbreviate(segment.text)}\`: Kubernetes would read them as one \`$(VARIABLE)\``;
  }
  return undefined;
}

/** The text as written into the manifest. Binding has checked `encodingProblem` already. */
export function render(text: ArgoText, delivery: Delivery): string {
  let out = '';
  text.segments.forEach((segment, i) => {
    switch (segment.kind) {
      case 'literal': {
        const body = delivery === 'file' ? segment.text.replaceAll('$', '$$$$') : segment.text;
        out += delivery === 'plain' ? body : encodeLiteral(body, neighbours(text.segments, i));
        break;
      }
      case 'variable': {
        if (delivery === 'plain') {
          out += `{{${segment.name}}}`;
          break;
        }
        // In a file, a `$` in the value must stay a `$`; glued to another value, its braces are encoded.
        let value = expressionOf(segment.name);
        if (delivery === 'file') value = `sprig.replace('$', '$$', ${value})`;
        if (touchesValue(text.segments, i)) value = `sprig.replace('{', '${BRACE}', ${value})`;
        out += value === expressionOf(segment.name) ? `{{${segment.name}}}` : `{{=${value}}}`;
        break;
      }
      case 'expression':
        out += `{{=${segment.source}}}`;
        break;
    }
  });
  return out;
}

interface Neighbours {
  /** A value is written right before this literal (it may end in `{`). */
  before: boolean;
  /** A value is written right after it (it may start with `{`, or be a tag). */
  after: boolean;
}

function neighbours(segments: readonly Segment[], i: number): Neighbours {
  return { before: i > 0, after: i < segments.length - 1 };
}

/** A variable glued to another value or expression: its own braces could pair across the seam. */
const touchesValue = (segments: readonly Segment[], i: number): boolean =>
  segments[i - 1]?.kind === 'variable' ||
  segments[i - 1]?.kind === 'expression' ||
  segments[i + 1]?.kind === 'variable' ||
  segments[i + 1]?.kind === 'expression';

/** `{` that could pair with another `{` → the reference the kubelet turns back into `{`. */
function encodeLiteral(text: string, { before, after }: Neighbours): string {
  if (!text.includes('{')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const pairs =
      c === '{' && ((i > 0 && text[i - 1] === '{') || (i === 0 && before) || (i === text.length - 1 && after));
    out += pairs ? BRACE : c;
  }
  return out;
}

/** Parts of Argo variable names that a user named (tasks, parameters, items): written in brackets. */
const NAMED_AFTER = new Set(['tasks', 'parameters', 'item', 'labels', 'annotations']);

/** An Argo variable read inside an expression: `tasks['train-1'].outputs.parameters['loss']`. */
export function expressionOf(name: string): string {
  const parts = name.split('.');
  return parts
    .map((part, i) => (i === 0 ? part : NAMED_AFTER.has(parts[i - 1] ?? '') ? `['${part}']` : `.${part}`))
    .join('');
}

/**
 * A value computed while the workflow runs (a task's output), as it must be passed on: its `{{`
 * encoded as a literal value's are, by an expression that runs on it while it is still data.
 * The expression spells the braces `'{' + '{'`, never `{{`.
 */
export const encodedValueOf = (name: string): ArgoText =>
  expression(`sprig.replace('{' + '{', '{${BRACE}', ${expressionOf(name)})`);

export const hasEncodedBraces = (rendered: string): boolean => rendered.includes(BRACE);

/**
 * The text as one expression (expr-lang) that yields what `render` would write, once Argo has
 * substituted it: for places where a value must be transformed as a whole (JSON-quoted in a
 * resource manifest).
 */
export function renderExpression(text: ArgoText, delivery: Delivery): string {
  if (text.segments.length === 0) return "''";
  return text.segments
    .map((segment, i) => {
      switch (segment.kind) {
        case 'literal': {
          const body = delivery === 'file' ? segment.text.replaceAll('$', '$$$$') : segment.text;
          return exprString(delivery === 'plain' ? body : encodeLiteral(body, neighbours(text.segments, i)));
        }
        case 'variable': {
          let value = expressionOf(segment.name);
          if (delivery === 'file') value = `sprig.replace('$', '$$', ${value})`;
          if (delivery !== 'plain' && touchesValue(text.segments, i))
            value = `sprig.replace('{', '${BRACE}', ${value})`;
          return value;
        }
        case 'expression':
          return `(${segment.source})`;
      }
    })
    .join(' + ');
}

/**
 * A string literal of expr-lang, safe inside a tag: quotes and backslashes escaped, braces as
 * `\u007b`/`\u007d` so the tag's source never holds `{{` or `}}`.
 */
export function exprString(value: string): string {
  let out = "'";
  for (const c of value) {
    if (c === "'" || c === '\\') out += `\\${c}`;
    else if (c === '{') out += '\\u007b';
    else if (c === '}') out += '\\u007d';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else out += c;
  }
  return `${out}'`;
}

const abbreviate = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
