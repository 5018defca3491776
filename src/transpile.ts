import type { Manifest } from './argo/types.js';
import { bindPipeline, type ArgoOptions } from './check/bind/bind.js';
import { isError, sortDiagnostics, uniqueDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { CLI_SPELLING, optionRef, spellDiagnostics } from './diagnostics/option-names.js';
import { emitManifest, type OutputFormat } from './emit/manifest.js';
import { forecastDiagnostics } from './forecast/forecast-diagnostics.js';
import { forecastRun, storedBytes } from './forecast/run-forecast.js';
import { loadPolyaxonfile, type LoadOptions } from './load.js';
import { lowerPipeline } from './lower/workflow.js';
import type { BoundPipeline } from './model/pipeline.js';
import { diagnosticAt } from './parse/source.js';
import type { ResolvedOperation } from './resolve/model.js';

export type { ArgoOptions };

export interface CheckOptions extends LoadOptions, ArgoOptions {}

export interface CheckResult {
  /** The resolved pipeline, when Polyaxon's rules accept it (for diagrams). */
  root?: ResolvedOperation;
  /** The bound pipeline, when Argo can express it too. */
  pipeline?: BoundPipeline;
  diagnostics: Diagnostic[];
}

/**
 * Everything `transpile` checks, without writing: Polyaxon's rules, then what Argo cannot express.
 * What `validate` and the GitHub Action report.
 */
export async function checkPolyaxonfile(name: string, text: string, options: CheckOptions): Promise<CheckResult> {
  // A WorkflowTemplate may leave top-level inputs for the submitter to fill.
  const loaded = await loadPolyaxonfile(name, text, {
    requireTopLevelInputs: options.kind !== 'workflow-template',
    resolveHooks: true,
    ...options,
  });
  if (!loaded.root) return { diagnostics: loaded.diagnostics };
  const bound = bindPipeline(loaded.root, options);
  const diagnostics = spellDiagnostics(
    sortDiagnostics(uniqueDiagnostics([...loaded.diagnostics, ...bound.diagnostics])),
    options.optionSpelling ?? CLI_SPELLING,
  );
  return bound.pipeline && !diagnostics.some(isError)
    ? { root: loaded.root, pipeline: bound.pipeline, diagnostics }
    : { root: loaded.root, diagnostics };
}

export interface LowerResult {
  /** The manifest, only when the file and its translation are free of errors. */
  manifest?: Manifest;
  /** The resolved pipeline, when the front end accepted it (for diagrams). */
  root?: ResolvedOperation;
  diagnostics: Diagnostic[];
}

/**
 * Everything `transpile` decides, without writing the text: the manifest object, and what the
 * checks and the run forecast say of it. What `validate` reports.
 */
export async function lowerPolyaxonfile(name: string, text: string, options: CheckOptions): Promise<LowerResult> {
  const checked = await checkPolyaxonfile(name, text, options);
  if (!checked.pipeline || !checked.root) return checked;
  const manifest = lowerPipeline(checked.pipeline);
  // Weighed as etcd will hold it, whatever format it is written in.
  const manifestBytes = storedBytes(manifest);
  const size = sizeWarning(checked.root, manifest, manifestBytes);
  // What the run will meet in the cluster (status size, annotation sizes, names), at the operation concerned.
  const forecasts = forecastDiagnostics(forecastRun(manifest, { manifestBytes }), checked.root);
  const spelt = spellDiagnostics([...(size ? [size] : []), ...forecasts], options.optionSpelling ?? CLI_SPELLING);
  return { manifest, root: checked.root, diagnostics: [...checked.diagnostics, ...spelt] };
}

export interface TranspileOptions extends CheckOptions {
  format?: OutputFormat;
}

export interface TranspileResult extends LowerResult {
  /** The manifest text, only when the file and its translation are free of errors. */
  output?: string;
}

/** The whole pipeline: parse → schema → resolve → check → bind → lower → emit. */
export async function transpile(name: string, text: string, options: TranspileOptions): Promise<TranspileResult> {
  const lowered = await lowerPolyaxonfile(name, text, options);
  if (!lowered.manifest) return lowered;
  return { ...lowered, output: emitManifest(lowered.manifest, options.format ?? 'yaml') };
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
      hint: `operations whose templates come out identical share one: reuse components (dagRef) and keep per-operation settings out of them to shrink it, or split the pipeline; ${optionRef('kind', 'workflow-template')} at least keeps the spec out of each run`,
    },
  );
}
