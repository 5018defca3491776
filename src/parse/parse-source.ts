import { diagnostic } from '../diagnostics/diagnostic.js';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { checkInputLimits, INPUT_LIMITS } from './input-limits.js';
import { IMPRECISE, pyyamlTags } from './pyyaml-scalars.js';
import { structural } from './structural.js';
import { indentFlowCollections, unshiftColumns } from './flow-indentation.js';
import { toLocation, type SourceFile } from './source.js';

export interface ParseResult {
  source?: SourceFile;
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Absolute path on disk, when the text came from a file. */
  absolutePath?: string;
}

/**
 * Text → SourceFile. YAML is read as YAML 1.1, like Polyaxon's PyYAML (`yes`/`on` are
 * booleans, `0777` is octal), and JSON is read by the same parser since it is valid YAML.
 * Anything that is not exactly one mapping document is refused here, with its location.
 */
export function parseSource(name: string, text: string, options: ParseOptions = {}): ParseResult {
  const { documents, lineCounter, yamlText } = readYaml(text);
  const at = (offset: number) => toLocation({ name, lineCounter }, offset);
  // The parser recurses per level: thousands of levels exhaust the stack before it can say where.
  if (documents instanceof RangeError) return { diagnostics: [tooDeep(at(tooDeepOffset(text)))] };
  const diagnostics: Diagnostic[] = [];

  if (!Array.isArray(documents) || documents.length === 0 || isBlank(documents[0]!)) {
    return {
      diagnostics: [
        diagnostic({
          code: 'empty-file',
          message: 'the file is empty: expected a Polyaxonfile mapping with `version` and `kind`',
          location: at(0),
          hint: 'start the file with `version: 1.1` and `kind: component` (or `kind: operation`)',
        }),
      ],
    };
  }
  const document = documents[0]!;
  for (const error of document.errors) {
    if (/call stack/i.test(error.message)) {
      // The parser recurses per level: far past our own depth limit it runs out of stack.
      diagnostics.push(tooDeep(at(error.pos[0])));
      break;
    }
    if (error.code === 'TAG_RESOLVE_FAILED' && error.message.startsWith(IMPRECISE)) {
      diagnostics.push(impreciseNumber(at(error.pos[0]), error.message));
      continue;
    }
    const duplicate = error.code === 'DUPLICATE_KEY';
    // The parser notices an unclosed `[` or `{` only where the file ends: point at the bracket instead.
    const bracket = /end with a ([\]}])/.exec(error.message)?.[1];
    const open = bracket ? unclosedBracket(yamlText, error.pos[0], bracket === ']' ? '[' : '{') : undefined;
    diagnostics.push(
      diagnostic({
        code: duplicate ? 'duplicate-key' : 'yaml-syntax',
        message: duplicate
          ? 'this key appears twice in the same mapping'
          : open !== undefined
            ? `invalid YAML: this \`${yamlText[open]}\` is never closed`
            : `invalid YAML: ${firstLine(error.message)}`,
        location: at(open ?? error.pos[0]),
        ...(duplicate
          ? { hint: 'remove one of the two entries; Polyaxon would silently keep the last one' }
          : open !== undefined
            ? { hint: `add the closing \`${bracket}\`` }
            : {}),
      }),
    );
  }
  for (const warning of document.warnings) {
    diagnostics.push(
      diagnostic({
        code: 'yaml-warning',
        message: firstLine(warning.message),
        location: at(warning.pos[0]),
      }),
    );
  }
  if (documents.length > 1) {
    const second = documents[1]!;
    diagnostics.push(
      diagnostic({
        code: 'multiple-documents',
        message: 'the file holds more than one YAML document; a Polyaxonfile is a single document',
        location: at(second.range[0]),
        hint: 'split the documents into separate files, or remove the extra `---` separator',
      }),
    );
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const overLimit = checkInputLimits(document, at);
  if (overLimit.length) return { diagnostics: overLimit };

  let value: unknown;
  try {
    // maxAliasCount bounds alias expansion, so a "billion laughs" file cannot exhaust memory.
    value = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return {
      diagnostics: [
        diagnostic({
          code: 'yaml-syntax',
          message: `invalid YAML: ${firstLine((error as Error).message)}`,
          location: at(0),
        }),
      ],
    };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const start = (document.contents as { range?: [number] } | null)?.range?.[0] ?? 0;
    return {
      diagnostics: [
        diagnostic({
          code: 'not-a-mapping',
          message: `the file's top level is ${describe(value)}, expected a mapping with \`version\`, \`kind\` and the rest of the Polyaxonfile`,
          location: at(start),
        }),
      ],
    };
  }
  const source = new ParsedSource(name, text, yamlText, document, lineCounter, value, options.absolutePath);
  return { source, diagnostics };
}

/**
 * A parsed file that lets its YAML document go. The document (every node with its offsets)
 * weighs dozens of times the text and is only needed to place diagnostics, which are rare: it
 * is held weakly, so the garbage collector may take it, and parsed again if a diagnostic needs
 * it after that. The plain value stays.
 */
class ParsedSource implements SourceFile {
  #document: WeakRef<Document.Parsed>;
  /** The text the document was parsed from: `text`, or `text` re-indented (see flow-indentation.ts). */
  #yamlText: string;

  constructor(
    readonly name: string,
    readonly text: string,
    yamlText: string,
    document: Document.Parsed,
    readonly lineCounter: LineCounter,
    readonly value: unknown,
    readonly absolutePath?: string,
  ) {
    this.#document = new WeakRef(document);
    this.#yamlText = yamlText;
    if (absolutePath === undefined) delete (this as { absolutePath?: string }).absolutePath;
  }

  get document(): Document.Parsed {
    let document = this.#document.deref();
    if (!document) {
      document = (parseDocuments(this.#yamlText, new LineCounter()) as Document.Parsed[])[0]!;
      this.#document = new WeakRef(document);
    }
    return document;
  }
}

/**
 * Parses `text` as PyYAML would: when the only objection is a flow collection indented less
 * than YAML wants, which PyYAML ignores, the text is parsed again re-indented.
 */
function readYaml(text: string) {
  const lineCounter = new LineCounter();
  const documents = parseDocuments(text, lineCounter);
  const first = Array.isArray(documents) ? documents[0] : undefined;
  if (first?.errors.some((e) => e.code === 'BAD_INDENT' && /^Flow (sequence|map)/.test(e.message))) {
    const reindented = indentFlowCollections(text);
    if (reindented) {
      const counter = new LineCounter();
      const again = parseDocuments(reindented.text, counter);
      // Errors about values (a duplicate key, an imprecise number) are the file's own; any other means no.
      const aboutSyntax = (e: { code: string }) => e.code !== 'DUPLICATE_KEY' && e.code !== 'TAG_RESOLVE_FAILED';
      if (Array.isArray(again) && !again.some((d) => d.errors.some(aboutSyntax))) {
        unshiftColumns(counter, reindented.shifts);
        return { documents: again, lineCounter: counter, yamlText: reindented.text };
      }
    }
  }
  return { documents, lineCounter, yamlText: text };
}

function parseDocuments(text: string, lineCounter: LineCounter) {
  try {
    // `schema` (not only `version`) keeps YAML 1.1 even under a `%YAML 1.2` directive, as PyYAML does.
    return parseAllDocuments(text, {
      version: '1.1',
      schema: 'yaml-1.1',
      lineCounter,
      prettyErrors: false,
      customTags: pyyamlTags,
    });
  } catch (error) {
    if (error instanceof RangeError) return error;
    throw error;
  }
}

/** Offset of the last `[` (or `{`) before `end` that is not closed, outside quotes and comments. */
function unclosedBracket(text: string, end: number, open: '[' | '{'): number | undefined {
  const close = open === '[' ? ']' : '}';
  const stack: number[] = [];
  for (const [i, c] of structural(text, end)) {
    if (c === open) stack.push(i);
    else if (c === close) stack.pop();
  }
  return stack.at(-1);
}

/**
 * Where nesting first passes the limit, found without the parser: flow brackets outside quotes
 * and comments, and compact block sequences (`- - - x`) on one line. 0 when neither explains it.
 */
/** A line starting with more compact `- ` levels than the limit (sticky: matched where the line starts). */
const DASHES_OVER_LIMIT = new RegExp(` *(?:- +){${INPUT_LIMITS.depth}}-`, 'y');

function tooDeepOffset(text: string): number {
  let depth = 0;
  for (const [i, c] of structural(text)) {
    if (c === '[' || c === '{') {
      if (++depth > INPUT_LIMITS.depth) return i;
    } else if (c === ']' || c === '}') depth--;
    else if (c === '\n') {
      DASHES_OVER_LIMIT.lastIndex = i + 1;
      const over = DASHES_OVER_LIMIT.exec(text);
      if (over) return i + over[0].length; // the first dash past the limit
    }
  }
  return 0;
}

const tooDeep = (location: Diagnostic['location']): Diagnostic =>
  diagnostic({
    code: 'too-deep',
    message: `the YAML nests hundreds of levels deep, over the ${INPUT_LIMITS.depth}-level limit; a Polyaxonfile needs a few dozen at most`,
    location,
    hint: 'flatten the structure; if it was generated, check the generator',
  });

const impreciseNumber = (location: Diagnostic['location'], message: string): Diagnostic =>
  diagnostic({
    code: 'imprecise-number',
    message: `the integer ${firstLine(message).slice(IMPRECISE.length).trim()}, so it would change on the way to Argo`,
    location,
    hint: 'quote it to keep it as text, or use a smaller number',
  });

const isBlank = (document: Document): boolean => document.contents === null && document.errors.length === 0;
const firstLine = (message: string): string => message.split('\n')[0]!.trim();

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
