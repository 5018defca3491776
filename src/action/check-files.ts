import { diagnostic } from '../diagnostics/diagnostic.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../argo/types.js';
import { isError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderGraph } from '../emit/graph.js';
import { readConnectionCatalog, type ConnectionCatalog } from '../resolve/connection-catalog.js';
import { lowerPolyaxonfile, transpile, type TranspileResult } from '../transpile.js';
import { paramsFor, type Config } from './inputs.js';
import { ACTION_SPELLING } from './option-spelling.js';
import type { FileReport } from './report/markdown.js';

export interface CheckedFile extends FileReport {
  result: TranspileResult;
}

/** What every file is checked with: the inputs, the workspace and the connections catalog. */
export interface CheckSettings {
  config: Config;
  workspace: string;
  catalog?: ConnectionCatalog;
}

/** Reads the connections catalog named by the `connections` input; its problems are diagnostics too. */
export async function loadSettings(
  config: Config,
  workspace: string,
): Promise<{ settings: CheckSettings; diagnostics: Diagnostic[] }> {
  if (!config.connections) return { settings: { config, workspace }, diagnostics: [] };
  const file = path.resolve(workspace, config.connections);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) {
    return {
      settings: { config, workspace },
      diagnostics: [
        diagnostic({
          code: 'unreadable-file',
          message: `cannot read the connections catalog \`${config.connections}\``,
          location: { file: config.connections, line: 1, column: 1 },
        }),
      ],
    };
  }
  const { catalog, diagnostics } = readConnectionCatalog(config.connections, text);
  return { settings: { config, workspace, ...(catalog ? { catalog } : {}) }, diagnostics };
}

/**
 * A pipeline is run on its own; a component is used by other Polyaxonfiles (or lives in the hub),
 * so its inputs may wait for the params its users give: it is checked as a WorkflowTemplate.
 */
export type Role = 'pipeline' | 'component';

/** Transpiles one repository file (or its text at another commit) with the Action's settings. */
export async function transpileFile(
  file: string,
  text: string,
  settings: CheckSettings,
  role: Role = 'pipeline',
): Promise<TranspileResult> {
  const { config, workspace, catalog } = settings;
  // Only pipelines are written out (`output-dir`): a component is checked without its text.
  return (role === 'component' ? lowerPolyaxonfile : transpile)(file, text, {
    kind: role === 'component' ? 'workflow-template' : config.kind,
    cwd: workspace,
    absolutePath: path.join(workspace, file),
    offline: config.offline,
    rootDir: workspace,
    params: paramsFor(file, config.params),
    optionSpelling: ACTION_SPELLING,
    ...(config.hub ? { hubDir: path.resolve(workspace, config.hub) } : {}),
    ...(catalog ? { connections: catalog } : {}),
    ...(config.project ? { project: config.project } : {}),
  });
}

/** Checks one file of the workspace: diagnostics, the manifest, and the dag as Mermaid. */
export async function checkFile(file: string, settings: CheckSettings, role: Role = 'pipeline'): Promise<CheckedFile> {
  const text = await readFile(path.join(settings.workspace, file), 'utf8').catch(() => undefined);
  if (text === undefined) {
    const unreadable = diagnostic({
      code: 'unreadable-file',
      message: `cannot read \`${file}\``,
      location: { file, line: 1, column: 1 },
    });
    return { file, role, diagnostics: [unreadable], result: { diagnostics: [unreadable] } };
  }
  const result = await transpileFile(file, text, settings, role);
  const valid = !result.diagnostics.some(isError);
  return {
    file,
    role,
    diagnostics: result.diagnostics,
    result,
    ...(valid && result.root
      ? { mermaid: renderGraph(result.root, 'mermaid'), operations: countOperations(result.manifest) }
      : {}),
  };
}

function countOperations(manifest: Manifest | undefined): number | undefined {
  const annotation = manifest?.metadata.annotations?.['polyaxon-argo.io/operations'];
  return annotation ? Object.keys(JSON.parse(annotation) as object).length : undefined;
}
