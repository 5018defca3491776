import { isError, sortDiagnostics, uniqueDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { CLI_SPELLING, optionRef, spellDiagnostics } from './diagnostics/option-names.js';
import { diagnosticAt } from './parse/source.js';
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
  const loaded = await loadPolyaxonfile(name, text, {
    requireTopLevelInputs: options.kind !== 'workflow-template',
    resolveHooks: true,
    ...options,
  });
  if (!loaded.root) return { diagnostics: loaded.diagnostics };
  const lowered = lowerToArgo(loaded.root, options);
  const diagnostics = spellDiagnostics(
    sortDiagnostics(uniqueDiagnostics([...loaded.diagnostics, ...lowered.diagnostics])),
    options.optionSpelling ?? CLI_SPELLING,
  );
  if (!lowered.manifest || diagnostics.some(isError)) return { root: loaded.root, diagnostics };
  const output = emitManifest(lowered.manifest, options.format ?? 'yaml');
  const size = sizeWarning(loaded.root, lowered.manifest, Buffer.byteLength(output));
  return {
    output,
    manifest: lowered.manifest,
    root: loaded.root,
    diagnostics: size
      ? [...diagnostics, ...spellDiagnostics([size], options.optionSpelling ?? CLI_SPELLING)]
      : diagnostics,
  };
}

/** etcd's default request limit: Argo stores a whole Workflow (spec and status) in one object. */
export const ETCD_LIMIT_BYTES = 1.5 * 1024 * 1024;
/** Warn well before it: the status Argo adds while running grows the object further. */
export const SIZE_WARNING_BYTES = 1024 * 1024;

function sizeWarning(root: ResolvedOperation, manifest: Manifest, bytes: number): Diagnostic | undefined {
  if (bytes < SIZE_WARNING_BYTES) return undefined;
  const at = root.component?.dag ? [...root.component.dag.path, 'operations'] : root.path;
  const megabytes = (bytes / 1024 / 1024).toFixed(1);
  const over = bytes > ETCD_LIMIT_BYTES;
  return diagnosticAt(
    root.component?.dag?.source ?? root.source,
    at,
    'manifest-size',
    `the ${manifest.kind} is ${megabytes} MiB; Argo keeps it in one etcd object (1.5 MiB by default)${over ? ', so creating it will fail' : ', and its status grows while it runs'}`,
    {
      hint: `operations with the same component and environment share one template: reuse components (dagRef) to shrink it, or split the pipeline; ${optionRef('kind', 'workflow-template')} at least keeps the spec out of each run`,
    },
  );
}
