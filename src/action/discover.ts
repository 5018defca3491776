import { glob, open } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, parseAllDocuments } from 'yaml';

/**
 * Which files of the repository are Polyaxonfiles, whatever their names: a YAML or JSON file
 * whose top level has `version` and `kind: component` or `kind: operation`, in any YAML style
 * (block, flow, JSON, comments, `---`). Deciding is cheap for the other files: a scan of the text
 * for the two keys rejects nearly all of them (Kubernetes manifests say `apiVersion`, CI files
 * have no `kind`) before anything is parsed.
 */

/** What a file turned out to be, with its first document when it parsed. */
export type Detection =
  | { polyaxonfile: true; document?: unknown }
  | { polyaxonfile: false; reason: 'no header' | 'too large' | 'unreadable' };

const POLYAXON_KINDS = new Set(['component', 'operation']);
/** Sections only Polyaxonfiles have: with `version` and some `kind`, a file is one, if a broken one. */
const POLYAXON_SECTIONS = ['run', 'component', 'hubRef', 'pathRef', 'dagRef', 'urlRef'];

/** `kind: component` (or operation) as a key at the start of a line or after `{`/`,` (flow style, JSON). */
const KIND_HEADER = /(?:^|[{,])[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?(?:component|operation)\b/m;
const VERSION_KEY = /(?:^|[{,])[ \t]*["']?version["']?[ \t]*:/m;

/** Whether `text` is a Polyaxonfile: its first document's top level (or, if it does not parse, its text). */
export function detectPolyaxonfile(text: string): Detection {
  // Cheap rejection: both keys must appear somewhere.
  if (!/\bkind\b/.test(text) || !/\bversion\b/.test(text)) return { polyaxonfile: false, reason: 'no header' };
  let documents;
  try {
    documents = parseAllDocuments(text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
  } catch {
    documents = undefined;
  }
  const list = documents === undefined ? [] : Array.isArray(documents) ? documents : [documents];
  const parsed = list.length > 0 && list.every((doc) => doc.errors.length === 0);
  if (!parsed) {
    // A broken file is still a Polyaxonfile when its header says so: checking it reports why it is broken.
    return KIND_HEADER.test(text) && VERSION_KEY.test(text)
      ? { polyaxonfile: true }
      : { polyaxonfile: false, reason: 'no header' };
  }
  // Polyaxon refuses several documents in one file; the check says so, if the first is one.
  const first = list.find((doc) => doc.contents !== null);
  if (!first || !isMap(first.contents)) return { polyaxonfile: false, reason: 'no header' };
  const keys = new Map<string, unknown>();
  for (const pair of first.contents.items)
    if (isScalar(pair.key)) keys.set(String(pair.key.value), isScalar(pair.value) ? pair.value.value : pair.value);
  const kind = keys.get('kind');
  const header =
    keys.has('version') &&
    keys.has('kind') &&
    (POLYAXON_KINDS.has(String(kind)) || (!keys.has('apiVersion') && POLYAXON_SECTIONS.some((key) => keys.has(key))));
  if (!header) return { polyaxonfile: false, reason: 'no header' };
  try {
    return { polyaxonfile: true, document: first.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return { polyaxonfile: true }; // an alias bomb: the check refuses it
  }
}

export const YAML_OR_JSON = /\.(ya?ml|json)$/i;

/** The glob patterns of `files` and `exclude`, as the Action applies them. */
export interface FileSelection {
  files: readonly string[];
  exclude: readonly string[];
}

/** Never searched: dependencies and git's own folder. */
const NEVER = new Set(['node_modules', '.git']);

/** Whether `file` (repository-relative, `/`-separated) is selected: it matches `files` and no `exclude`. */
export function isSelected(file: string, selection: FileSelection): boolean {
  return (
    selection.files.some((pattern) => matches(file, pattern)) &&
    !selection.exclude.some((pattern) => matches(file, pattern))
  );
}

/** A glob, or a plain path naming a file or a folder (everything under it). */
function matches(file: string, pattern: string): boolean {
  const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
  if (!/[*?[\]{}]/.test(clean)) return file === clean || file.startsWith(`${clean}/`);
  return path.posix.matchesGlob(file, clean);
}

/** Every file of the workspace matching `files` and not `exclude`, sorted. */
export async function listWorkspaceFiles(selection: FileSelection, workspace: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of selection.files) {
    for await (const file of glob(pattern.replace(/^\.\//, ''), {
      cwd: workspace,
      exclude: (name) => NEVER.has(path.basename(String(name))),
    })) {
      const relative = file.split(path.sep).join('/');
      if (isSelected(relative, selection)) found.add(relative);
    }
  }
  return [...found].sort();
}

export interface Scanned {
  /** The Polyaxonfiles, each with its first document when it parsed. */
  polyaxonfiles: Map<string, unknown>;
  /** The other selected files: not Polyaxonfiles (Kubernetes manifests, CI files, data), too large or unreadable. */
  skipped: { file: string; reason: 'no header' | 'too large' | 'unreadable' }[];
}

/**
 * Reads each file (at most `maxBytes`; a larger one is judged by its beginning only, and a
 * Polyaxonfile that large is refused by the check anyway) and tells Polyaxonfiles from the rest.
 * Folders and files that vanished count as unreadable.
 */
export async function scanFiles(files: readonly string[], workspace: string, maxBytes: number): Promise<Scanned> {
  const scanned: Scanned = { polyaxonfiles: new Map(), skipped: [] };
  for (const file of files) {
    const read = await readHead(path.join(workspace, file), maxBytes);
    if (read === undefined) {
      scanned.skipped.push({ file, reason: 'unreadable' });
      continue;
    }
    const detection: Detection = read.complete
      ? detectPolyaxonfile(read.text)
      : KIND_HEADER.test(read.text) && VERSION_KEY.test(read.text)
        ? { polyaxonfile: true }
        : { polyaxonfile: false, reason: 'too large' };
    if (detection.polyaxonfile) scanned.polyaxonfiles.set(file, detection.document);
    else scanned.skipped.push({ file, reason: detection.reason });
  }
  return scanned;
}

/** The file's text, whole when it is at most `maxBytes`, else its first 64 KiB. */
async function readHead(file: string, maxBytes: number): Promise<{ text: string; complete: boolean } | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    const complete = size <= maxBytes;
    const length = complete ? size : 64 * 1024;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), complete };
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
