import type { Diagnostic, DiagnosticCode } from '../../diagnostics/diagnostic.js';
import { diagnosticAt, type DiagnosticOptions, type Path, type SourceFile } from '../../parse/source.js';
import type { ConnectionCatalog } from '../../resolve/connection-catalog.js';
import { encodingProblem, type ArgoText, type Delivery } from '../../argo/text.js';
import { projectGlobal, type ProjectName } from './project.js';
import type { TextError } from './text.js';

/** What the transpiler is asked to write, besides the Polyaxonfile itself. */
export interface ArgoOptions {
  kind: 'workflow' | 'workflow-template';
  namespace?: string;
  name?: string;
  generateName?: string;
  connections?: ConnectionCatalog;
  /** The Polyaxon project runs belong to, for `{{ globals.project_name }}` and its kin. */
  project?: ProjectName;
}

export interface Origin {
  source: SourceFile;
}

/**
 * State shared while one pipeline is bound: the options, the diagnostics, and what operations
 * decide for the whole workflow (the one pod ttl, the watcher's early-stopping policies).
 */
export class BindContext {
  readonly diagnostics: Diagnostic[] = [];
  /** The top operation's `termination.ttl` (the workflow's ttlStrategy). */
  workflowTtl: number | undefined;
  /** The `termination.ttl` operations set for their own pods. */
  podTtl: number | undefined;
  readonly watcherEarlyStopping: unknown[] = [];
  /** Workflow parameters some text reads: each becomes one of `spec.arguments`. */
  readonly workflowValues = new Set<string>();
  /** `{{ globals.project_name }}` and its kin, reading (and declaring) workflow parameters. */
  readonly projectGlobal = (key: string): ArgoText | TextError => projectGlobal(key, this.options, this.workflowValues);

  constructor(readonly options: ArgoOptions) {}

  report(origin: Origin, at: Path, code: DiagnosticCode, message: string, options?: DiagnosticOptions): void {
    const diagnostic = diagnosticAt(origin.source, at, code, message, options);
    if (diagnostic.severity === 'error') this.errors++;
    this.diagnostics.push(diagnostic);
  }

  /** A field Argo cannot express, with what to write instead. */
  unsupported(origin: Origin, at: Path, what: string, hint?: string): void {
    this.report(origin, at, 'not-supported-by-argo', what, hint ? { hint } : {});
  }

  /** A templated field Polyaxon renders at run time, where Argo needs the value up front. */
  templated(origin: Origin, at: Path, field: string, hint = `write \`${field}\` out in the file`): void {
    this.unsupported(origin, at, `a templated \`${field}\` cannot be resolved before the run`, hint);
  }

  /** `text` if it can be written for `delivery`; otherwise a located error, and undefined. */
  encodable(text: ArgoText, delivery: Delivery, origin: Origin, at: Path): ArgoText | undefined {
    const problem = encodingProblem(text, delivery);
    if (problem === undefined) return text;
    this.report(origin, at, 'untranslatable-template', problem, {
      anchor: 'value',
      hint:
        delivery === 'plain'
          ? 'braces can reach a container only through its command, args or env values'
          : 'write `$$(` for a literal `$(`',
    });
    return undefined;
  }

  private errors = 0;

  hasErrors(): boolean {
    return this.errors > 0;
  }

  /** A mark to ask, later, whether anything was refused since (`refusedSince`). */
  mark(): number {
    return this.errors;
  }

  refusedSince(mark: number): boolean {
    return this.errors > mark;
  }
}
