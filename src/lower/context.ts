import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt, type DiagnosticOptions, type Path, type SourceFile } from '../parse/source.js';
import type { Template } from '../argo/types.js';
import type { ConnectionCatalog } from './connections.js';
import { NameTable } from './names.js';

export interface LowerOptions {
  kind: 'workflow' | 'workflow-template';
  namespace?: string;
  name?: string;
  generateName?: string;
  connections?: ConnectionCatalog;
}

/**
 * State shared while one Polyaxonfile is lowered: the options, the diagnostics, and the
 * workflow's templates, where identical templates are emitted once and shared.
 */
export class LowerContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly templates: Template[] = [];
  private readonly templateNames = new NameTable();
  private readonly templatesByContent = new Map<string, string>();

  /** The top operation's `termination.ttl`, which becomes the workflow's ttlStrategy. */
  workflowTtl: number | undefined;
  /** The `termination.ttl` operations set for themselves (Argo allows one pod deletion delay). */
  podTtl: number | undefined;

  constructor(readonly options: LowerOptions) {}

  report(origin: { source: SourceFile }, at: Path, code: DiagnosticCode, message: string, options?: DiagnosticOptions): void {
    this.diagnostics.push(diagnosticAt(origin.source, at, code, message, options));
  }

  /** Reports a field Argo cannot express. */
  unsupported(origin: { source: SourceFile }, at: Path, what: string, hint?: string): void {
    this.report(origin, at, 'not-supported-by-argo', what, hint ? { hint } : {});
  }

  /**
   * Adds a template named after `preferredName` unless an identical one (all but the name)
   * exists, and returns the name to use. Identical component + environment pairs thereby share
   * one template however many operations run them.
   */
  addTemplate(preferredName: string, body: Omit<Template, 'name'>): string {
    const key = JSON.stringify(body);
    const existing = this.templatesByContent.get(key);
    if (existing) return existing;
    const name = this.templateNames.claim(preferredName);
    this.templatesByContent.set(key, name);
    this.templates.push({ name, ...body });
    return name;
  }

  /**
   * Reserves a template's name and place for a body built later: a DAG template is written
   * before the templates of its tasks, though it can only be built after them.
   */
  reserveTemplate(preferredName: string): { name: string; fill(body: Omit<Template, 'name'>): void } {
    const template: Template = { name: this.templateNames.claim(preferredName) };
    this.templates.push(template);
    return { name: template.name, fill: (body) => Object.assign(template, body) };
  }

  /** Early-stopping policies only the GitHub Action's watcher can enforce (written to an annotation). */
  readonly earlyStopping: unknown[] = [];

  /** Which Polyaxon operation each task of each DAG template runs: `template/task` → operation. */
  readonly operationNames = new Map<string, string>();

  recordTasks(template: string, tasks: ReadonlyMap<string, string>): void {
    for (const [task, operation] of tasks) this.operationNames.set(`${template}/${task}`, operation);
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
