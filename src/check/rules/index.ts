import type { Rule } from '../rule.js';
import { acyclic } from './acyclic.js';
import { conditionsAreExpressions } from './conditions.js';
import { dagComponentNames } from './dag-component-names.js';
import { dagHasOperations } from './dag-has-operations.js';
import { ioDefinitions } from './io-definitions.js';
import { joinTargets } from './join-targets.js';
import { knownUpstream } from './known-upstream.js';
import { matrixSpace } from './matrix-space.js';
import { operationNames } from './operation-names.js';
import { operationParams } from './operation-params.js';
import { runPatchMatchesRuntime } from './run-patch.js';

/** Every semantic rule, in the order Polyaxon checks (graph first, then components and params). */
export const RULES: readonly Rule[] = [
  operationNames,
  dagHasOperations,
  knownUpstream,
  acyclic,
  dagComponentNames,
  ioDefinitions,
  runPatchMatchesRuntime,
  conditionsAreExpressions,
  matrixSpace,
  joinTargets,
  operationParams,
];
