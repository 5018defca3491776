import type { Path, SourceFile } from '../parse/source.js';
import type { IO } from '../schema/io.js';
import type { Param } from '../schema/param.js';
import type { Component, Dag, Operation } from '../schema/polyaxonfile.js';

/**
 * The resolved tree: every operation with the component it runs, every dag with its
 * operations, each object remembering the file and path it came from so any later stage can
 * point at it.
 */

export interface Origin {
  source: SourceFile;
  path: Path;
}

export interface ResolvedComponent extends Origin {
  component: Component;
  /** The components of `component.hooks`, index for index, when hooks are resolved (transpiling). */
  hooks?: (ResolvedComponent | undefined)[];
  /** Present when `component.run.kind` is `dag`. */
  dag?: ResolvedDag;
}

/** A param with the place it was written (the operation's `params`, or `--param` on the command line). */
export interface LocatedParam extends Origin {
  name: string;
  param: Param;
}

export type ReferenceKind = 'component' | 'dagRef' | 'pathRef' | 'hubRef' | 'urlRef';

export interface ResolvedOperation extends Origin {
  operation: Operation;
  /** The graph node id inside its dag; the top operation is named after its file. */
  name: string;
  reference: ReferenceKind;
  /** The operation's params by name. */
  params: Map<string, LocatedParam>;
  /** Absent when the reference could not be resolved (a diagnostic says why). */
  component?: ResolvedComponent;
  /** The components of `operation.hooks`, index for index, when hooks are resolved (transpiling). */
  hooks?: (ResolvedComponent | undefined)[];
}

export interface ResolvedDag extends Origin {
  dag: Dag;
  /** The inputs of the component that runs this dag: what `ref: dag` params may read. */
  inputs: IO[];
  /** The dag's operations, in file order. Unnamed ones are kept (and reported) with `name: ''`. */
  operations: ResolvedOperation[];
  /** The dag's `components`, by name (first wins; duplicates are reported). */
  components: Map<string, ResolvedComponent>;
}
