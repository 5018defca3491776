import path from 'node:path';
import type { ChangedFiles } from '../github/changed-files.js';
import { DEFAULT_MAX_BYTES } from '../resolve/loader.js';
import type { Role } from './check-files.js';
import { isSelected, listWorkspaceFiles, scanFiles, YAML_OR_JSON, type FileSelection } from './discover.js';
import type { Config } from './inputs.js';
import { describeImpact, ReferenceGraph } from './reference-graph.js';

/** One file to check, what it is, and (on a pull request) why it is checked. */
export interface Selected {
  file: string;
  role: Role;
  reason?: string;
}

export interface Selection {
  files: Selected[];
  /** Selected YAML/JSON files that are not Polyaxonfiles (on a pull request: among its changes). */
  skipped: string[];
  /** What to say when `files` is empty. */
  none: string;
}

/** Every YAML and JSON file is a candidate: content, not names, tells Polyaxonfiles. */
export const DEFAULT_FILES = ['**/*.yaml', '**/*.yml', '**/*.json'];

/** A repository-relative folder or file from an input: `./ml/hub/` → `ml/hub`. */
const normalize = (value: string) =>
  value ? path.posix.normalize(value.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '') : '';

/**
 * Which Polyaxonfiles to check. On a push (or when GitHub could not list a pull request's every
 * file): each one matching `files` and not `exclude`. On a pull request: those it changes, and
 * every one that uses a file it changes or removes, through pathRef, hubRef or the connections
 * catalog, at any depth. The reference graph covers the whole repository (every YAML and JSON
 * file, and `files`, minus `exclude`), so a pipeline outside `files` still links its users to
 * what it uses. `output-dir` (our own manifests) is always excluded.
 */
export async function selectFiles(config: Config, workspace: string, changes?: ChangedFiles): Promise<Selection> {
  const exclude = [...config.exclude, normalize(config.outputDir)].filter(Boolean);
  const checked: FileSelection = { files: config.files, exclude };
  const graphScope: FileSelection = { files: [...new Set([...DEFAULT_FILES, ...config.files])], exclude };
  const hub = normalize(config.hub);
  const catalog = normalize(config.connections);

  const inScope = await listWorkspaceFiles(graphScope, workspace);
  // hubRef targets are Polyaxonfiles wherever `exclude` points.
  const hubFiles = hub
    ? await listWorkspaceFiles({ files: [`${hub}/**/*.yaml`, `${hub}/**/*.yml`], exclude: [] }, workspace)
    : [];
  const all = [...new Set([...inScope, ...hubFiles])].sort();
  const scanned = await scanFiles(all, workspace, DEFAULT_MAX_BYTES);
  const graph = new ReferenceGraph(scanned.polyaxonfiles, {
    files: new Set(all),
    ...(hub ? { hubDir: hub } : {}),
    ...(catalog ? { catalog } : {}),
  });
  const roleOf = (file: string): Role =>
    graph.isUsed(file) || (hub !== '' && file.startsWith(`${hub}/`)) ? 'component' : 'pipeline';
  const wanted = (file: string) => scanned.polyaxonfiles.has(file) && isSelected(file, checked);

  if (!changes || changes.truncated) {
    return {
      files: [...scanned.polyaxonfiles.keys()].filter(wanted).map((file) => ({ file, role: roleOf(file) })),
      skipped: scanned.skipped.map((s) => s.file).filter((file) => isSelected(file, checked)),
      none: 'No Polyaxonfile found: no YAML or JSON file matching the input `files` (less `exclude`) has `version` and `kind: component` or `kind: operation` at its top.',
    };
  }
  const impact = graph.impact(changes.changed, changes.removed);
  return {
    files: [...impact.values()]
      .filter((i) => wanted(i.file))
      .sort((a, b) => a.file.localeCompare(b.file))
      .map((i) => ({ file: i.file, role: roleOf(i.file), reason: describeImpact(i, catalog || undefined) })),
    skipped: changes.changed.filter(
      (file) => YAML_OR_JSON.test(file) && isSelected(file, checked) && !scanned.polyaxonfiles.has(file),
    ),
    none: 'No Polyaxonfile is changed by this pull request, nor uses a file it changes.',
  };
}
