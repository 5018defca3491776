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
  | { readonly kind: 'variable'; readonly name: string; readonly mayBeEmpty?: true }
  /** An expression tag `{{=…}}`. Its source is ours: it never holds `{{` or `}}`. */
  | { readonly kind: 'expression'; readonly source: string; readonly mayBeEmpty?: true }
  /** A variable the container itself defines, written `$(NAME)` for the kubelet (argv and file only). */
  | { readonly kind: 'environment'; readonly name: string };

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
 * In `argv`/`file`, the second brace of every `{{` is encoded. It always follows a `{`, never a
 * `$`, so the kubelet reads the rest of the text exactly as it would have. Text known before the
 * run is encoded here; text where a value meets another value or a brace (`{{ a }}{{ b }}`,
 * `x{{{ a }}}`), whose `{{` can only be seen once the values are, is written as one expression
 * that builds the whole text and encodes it while the workflow runs. Values themselves hold no
 * `{{` when they enter (literals are written as `argv` text, task outputs through `encodedValueOf`).
 */
export type Delivery = 'argv' | 'file' | 'plain';

const BRACE = `$(${BRACE_VARIABLE})`;

export const literal = (text: string): ArgoText => ({ segments: text ? [{ kind: 'literal', text }] : [] });
export const variable = (name: string): ArgoText => ({ segments: [{ kind: 'variable', name }] });
export const expression = (source: string): ArgoText => ({ segments: [{ kind: 'expression', source }] });
export const environment = (name: string): ArgoText => ({ segments: [{ kind: 'environment', name }] });
export const EMPTY: ArgoText = { segments: [] };

/**
 * The same text, its values marked as values that may come out empty (a false flag, an optional
 * input left out, an empty string): what decides whether an argv item can vanish (`mayRenderEmpty`).
 */
export const emptiable = (text: ArgoText): ArgoText => ({
  segments: text.segments.map((s) =>
    s.kind === 'variable' || s.kind === 'expression' ? { ...s, mayBeEmpty: true } : s,
  ),
});

/** Whether the text can come out empty once its values are known: it holds nothing but such values. */
export const mayRenderEmpty = (text: ArgoText): boolean =>
  text.segments.length > 0 &&
  text.segments.every((s) => (s.kind === 'variable' || s.kind === 'expression') && s.mayBeEmpty === true);

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
  const local = text.segments.find((segment) => segment.kind === 'environment');
  if (delivery === 'plain' && local)
    return `\`${local.name}\` is known only inside the container: it can be used in its command, args and env values`;
  if (delivery === 'plain') {
    for (const [i, segment] of text.segments.entries()) {
      if (segment.kind !== 'literal') continue;
      if (segment.text.includes('{{'))
        return `\`${abbreviate(segment.text)}\` holds \`{{\`, which Argo would read as a tag`;
      if ((i > 0 && segment.text.startsWith('{')) || (i < text.segments.length - 1 && segment.text.endsWith('{')))
        return `a \`{\` next to a value in \`${abbreviate(segment.text)}\` would form \`{{\`, which Argo would read as a tag`;
    }
    return undefined;
  }
  if (delivery === 'file') return undefined; // every `$` is escaped: the reference we insert stays whole.
  // Inside an unclosed `$(`, the reference we insert would end the user's one.
  for (const segment of text.segments) {
    if (segment.kind === 'literal' && /(?<!\$)(?:\$\$)*\$\([^)]*\{\{/.test(segment.text))
      return `\`$(\` before \`{{\` in \`${abbreviate(segment.text)}\`: Kubernetes would read them as one \`$(VARIABLE)\``;
  }
  return undefined;
}

/** The text as written into the manifest. Binding has checked `encodingProblem` already. */
export function render(text: ArgoText, delivery: Delivery): string {
  if (delivery !== 'plain' && seamsBraces(text.segments)) return `{{=${encodeWhile(text, delivery)}}}`;
  return text.segments
    .map((segment) => {
      switch (segment.kind) {
        case 'literal':
          if (delivery === 'plain') return segment.text;
          return encodePairs(delivery === 'file' ? escapeDollars(segment.text) : segment.text);
        case 'variable':
          // In a file, a `$` in the value must stay a `$`.
          return delivery === 'file'
            ? `{{=sprig.replace('$', '$$', ${expressionOf(segment.name)})}}`
            : `{{${segment.name}}}`;
        case 'expression':
          return `{{=${segment.source}}}`;
        case 'environment':
          return `$(${segment.name})`;
      }
    })
    .join('');
}

/**
 * The text as one expression (expr-lang) yielding what `render` writes once Argo has substituted
 * it: for places where a value must be transformed as a whole (JSON-quoted in a manifest).
 */
export function renderExpression(text: ArgoText, delivery: Delivery): string {
  if (delivery === 'plain') return joined(text);
  if (seamsBraces(text.segments)) return encodeWhile(text, delivery);
  // As `render` writes it: literals encoded now, values (which hold no `{{`) as they come.
  return joined(
    text,
    (literalText) => encodePairs(delivery === 'file' ? escapeDollars(literalText) : literalText),
    delivery === 'file',
  );
}

/** Where a value meets another value, or a literal brace: a `{{` may form there once values are known. */
function seamsBraces(segments: readonly Segment[]): boolean {
  return segments.some((segment, i) => {
    if (segment.kind === 'literal' || segment.kind === 'environment') return false;
    const [before, after] = [segments[i - 1], segments[i + 1]];
    const value = (s: Segment) => s.kind === 'variable' || s.kind === 'expression';
    return (
      (before !== undefined && (value(before) || (before.kind === 'literal' && before.text.endsWith('{')))) ||
      (after !== undefined && (value(after) || (after.kind === 'literal' && after.text.startsWith('{'))))
    );
  });
}

/** An expression building the whole text and encoding its `{{` (and, in a file, its `$`) as it runs. */
function encodeWhile(text: ArgoText, delivery: 'argv' | 'file'): string {
  const whole = delivery === 'file' ? `sprig.replace('$', '$$', ${joined(text)})` : joined(text);
  return `sprig.replace('{' + '{', '{${BRACE}', ${whole})`;
}

/** The segments as one string expression; literals as `literalText` writes them (as they are by default). */
function joined(text: ArgoText, literalText = (value: string) => value, escapeValues = false): string {
  if (text.segments.length === 0) return "''";
  return text.segments
    .map((segment) => {
      if (segment.kind === 'literal') return exprString(literalText(segment.text));
      if (segment.kind === 'expression') return `(${segment.source})`;
      if (segment.kind === 'environment') return exprString(`$(${segment.name})`);
      const value = expressionOf(segment.name);
      return escapeValues ? `sprig.replace('$', '$$', ${value})` : value;
    })
    .join(' + ');
}

/** `a{{b` → `a{$(POLYAXON_ARGO_LBRACE)b`: the second brace of each pair, left to right. */
const encodePairs = (text: string): string => (text.includes('{{') ? text.replaceAll('{{', `{${BRACE}`) : text);

/** Kubernetes' escape for `$`, for text that must reach a file exactly as written. */
const escapeDollars = (text: string): string => text.replaceAll('$', '$$$$');

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
