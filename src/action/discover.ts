import { glob, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A dag Polyaxonfile not named like one: `kind: component|operation` with `run.kind: dag`. */
export function looksLikePolyaxonDag(text: string): boolean {
  return (
    /^kind:\s*["']?(component|operation)\b/m.test(text) &&
    /^\s+kind:\s*["']?dag\b/m.test(text) &&
    /^version:/m.test(text)
  );
}

const CANDIDATE = /\.(ya?ml|json)$/i;

/**
 * Which of `files` (repository-relative) are Polyaxonfiles to check: those matching a glob,
 * and any other YAML/JSON file whose content is a dag Polyaxonfile.
 */
export async function selectPolyaxonfiles(
  files: readonly string[],
  globs: readonly string[],
  workspace: string,
): Promise<string[]> {
  const selected: string[] = [];
  for (const file of files) {
    if (globs.some((pattern) => path.matchesGlob(file, pattern))) {
      selected.push(file);
      continue;
    }
    if (!CANDIDATE.test(file)) continue;
    const text = await readFile(path.join(workspace, file), 'utf8').catch(() => '');
    if (looksLikePolyaxonDag(text)) selected.push(file);
  }
  return [...new Set(selected)].sort();
}

/** Every file of the workspace matching the globs (for pushes and manual runs). */
export async function findPolyaxonfiles(globs: readonly string[], workspace: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of globs) {
    for await (const file of glob(pattern, {
      cwd: workspace,
      exclude: (name) => name === 'node_modules' || name === '.git',
    }))
      found.add(file.split(path.sep).join('/'));
  }
  return [...found].sort();
}
