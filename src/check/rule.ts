import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticOptions, Path } from '../parse/source.js';
import type { Origin, ResolvedComponent, ResolvedDag, ResolvedOperation } from '../resolve/model.js';

export interface CheckOptions {
  /**
   * Whether the top component's required inputs must have a value. Polyaxon requires them to
   * run a file; a WorkflowTemplate leaves them for the submitter.
   */
  requireTopLevelInputs: boolean;
}

export interface CheckContext {
  readonly options: CheckOptions;
  readonly root: ResolvedOperation;
  /** Reports a problem at `at`, a path inside `origin`'s file (absolute, not relative to origin.path). */
  report(
    origin: Pick<Origin, 'source'>,
    at: Path,
    code: DiagnosticCode,
    message: string,
    options?: DiagnosticOptions,
  ): void;
  readonly diagnostics: Diagnostic[];
}

/**
 * A semantic rule, in the manner of graphql-js validation rules: small, independent, and
 * called by the walker for each node kind it cares about. Rules never stop at the first
 * problem; each reports everything it finds.
 */
export interface Rule {
  readonly name: string;
  component?(component: ResolvedComponent, context: CheckContext): void;
  /** `dag` is the dag the operation belongs to; undefined for the top operation. */
  operation?(operation: ResolvedOperation, context: CheckContext, dag: ResolvedDag | undefined): void;
  dag?(dag: ResolvedDag, context: CheckContext): void;
}
