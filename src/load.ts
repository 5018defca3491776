import { stringify } from 'yaml';
import { checkTree } from './check/check.js';
import { sortDiagnostics, uniqueDiagnostics, isError, type Diagnostic } from './diagnostics/diagnostic.js';
import { CLI_SPELLING, spellDiagnostics, type OptionSpelling } from './diagnostics/option-names.js';
import { parseSource } from './parse/parse-source.js';
import { createLoader, type Loader, type LoaderOptions } from './resolve/loader.js';
import type { ResolvedOperation } from './resolve/model.js';
import { resolvePolyaxonfile } from './resolve/resolve.js';
import { readPolyaxonfile } from './schema/read-polyaxonfile.js';

export interface LoadOptions extends LoaderOptions {
  /** Absolute path of the file, to resolve its `pathRef`s. */
  absolutePath?: string;
  /** Params given on the command line (`--param NAME=VALUE`); they override the file's. */
  params?: ReadonlyArray<readonly [string, string]>;
  /** See CheckOptions.requireTopLevelInputs; true by default, as Polyaxon runs files. */
  requireTopLevelInputs?: boolean;
  /** Resolve the components of hooks too (needed to transpile, not to validate). */
  resolveHooks?: boolean;
  /** Replaces the file-system/hub/URL loader (tests, the GitHub Action). */
  loader?: Loader;
  /** How messages and hints spell the options they mention (default: the CLI's `--hub DIR`). */
  optionSpelling?: OptionSpelling;
}

export interface LoadResult {
  /** Present when the file and everything it references is valid. */
  root?: ResolvedOperation;
  /** All problems found, sorted by file and position. */
  diagnostics: Diagnostic[];
}

export const COMMAND_LINE = '<command line>';

/**
 * The whole front end: parse → schema → resolve references → semantic checks. Never throws
 * for bad input; every problem comes back as a located diagnostic.
 */
export async function loadPolyaxonfile(name: string, text: string, options: LoadOptions = {}): Promise<LoadResult> {
  const finish = (diagnostics: Diagnostic[], root?: ResolvedOperation): LoadResult => {
    const sorted = spellDiagnostics(
      sortDiagnostics(uniqueDiagnostics(diagnostics)),
      options.optionSpelling ?? CLI_SPELLING,
    );
    return sorted.some(isError) || !root ? { diagnostics: sorted } : { root, diagnostics: sorted };
  };
  const parsed = parseSource(name, text, options.absolutePath ? { absolutePath: options.absolutePath } : {});
  if (!parsed.source) return finish(parsed.diagnostics);
  const read = readPolyaxonfile(parsed.source);
  const diagnostics = [...parsed.diagnostics, ...read.diagnostics];
  if (!read.file) return finish(diagnostics);

  const resolved = await resolvePolyaxonfile(parsed.source, read.file, options.loader ?? createLoader(options), {
    hooks: options.resolveHooks ?? false,
  });
  diagnostics.push(...resolved.diagnostics);
  if (options.params?.length) addCommandLineParams(resolved.root, options.params);
  diagnostics.push(...checkTree(resolved.root, { requireTopLevelInputs: options.requireTopLevelInputs ?? true }));
  return finish(diagnostics, resolved.root);
}

/**
 * `--param` values become params of the top operation. They are given a small YAML source of
 * their own, so a diagnostic about one points at `<command line>:LINE` like any other.
 */
function addCommandLineParams(root: ResolvedOperation, params: ReadonlyArray<readonly [string, string]>): void {
  const text = stringify(Object.fromEntries(params), { version: '1.1' });
  const { source } = parseSource(COMMAND_LINE, text);
  if (!source) return;
  for (const [name, value] of params) root.params.set(name, { name, param: { value }, source, path: [name] });
}
