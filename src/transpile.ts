import { isError, sortDiagnostics, uniqueDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { emitManifest, type OutputFormat } from './emit/manifest.js';
import { loadPolyaxonfile, type LoadOptions } from './load.js';
import type { LowerOptions } from './lower/context.js';
import { lowerToArgo } from './lower/workflow.js';
import type { Manifest } from './argo/types.js';
import type { ResolvedOperation } from './resolve/model.js';

export interface TranspileOptions extends LoadOptions, LowerOptions {
  format?: OutputFormat;
}

export interface TranspileResult {
  /** The manifest text, only when the file and its translation are free of errors. */
  output?: string;
  /** The manifest object the text was written from. */
  manifest?: Manifest;
  /** The resolved pipeline, when the front end accepted it (for diagrams). */
  root?: ResolvedOperation;
  diagnostics: Diagnostic[];
}

/** The whole pipeline: parse → schema → resolve → check → lower → emit. */
export async function transpile(name: string, text: string, options: TranspileOptions): Promise<TranspileResult> {
  // A WorkflowTemplate may leave top-level inputs for the submitter to fill.
  const loaded = await loadPolyaxonfile(name, text, { requireTopLevelInputs: options.kind !== 'workflow-template', resolveHooks: true, ...options });
  if (!loaded.root) return { diagnostics: loaded.diagnostics };
  const lowered = lowerToArgo(loaded.root, options);
  const diagnostics = sortDiagnostics(uniqueDiagnostics([...loaded.diagnostics, ...lowered.diagnostics]));
  if (!lowered.manifest || diagnostics.some(isError)) return { root: loaded.root, diagnostics };
  return { output: emitManifest(lowered.manifest, options.format ?? 'yaml'), manifest: lowered.manifest, root: loaded.root, diagnostics };
}
