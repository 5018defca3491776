import type { z } from 'zod';
import { runPatchFor, type Runtime } from './polyaxonfile.js';
import { REPLICAS, type DistributedKind } from './runtime.js';

export type RunPatchReading =
  | {
      ok: true;
      /** The patch in the runtime's own shape (as parsed). */
      patch: Record<string, unknown>;
      /** It was written as one replica's fields, for every replica. */
      replicated: boolean;
    }
  | { ok: false; issues: readonly z.core.$ZodIssue[] };

const isDistributed = (kind: string): kind is DistributedKind => kind in REPLICAS;

/**
 * An operation's `runPatch` read as Polyaxon 2.18 reads it (validate_run_patch): a partial run of
 * the component's kind; or, for the distributed kinds, when it is not one, a replica's fields
 * (`container`, `environment`, …) meant for every replica the run defines, which is written out
 * here into the run's own shape (`{worker: PATCH, ps: PATCH}`; Ray: `{head, workers: {NAME: …}}`), one copy per replica.
 */
export function readRunPatch(run: Runtime, patch: unknown): RunPatchReading {
  const asRun = runPatchFor(run.kind).safeParse(patch);
  if (asRun.success) return { ok: true, patch: asRun.data, replicated: false };
  if (!isDistributed(run.kind)) return { ok: false, issues: asRun.error.issues };
  const asReplica = REPLICAS[run.kind].safeParse(patch);
  if (!asReplica.success) {
    // Report the reading the patch looks like: a run's own keys (a replica name, `cleanPodPolicy`…) or a replica's.
    const keys = patch !== null && typeof patch === 'object' ? Object.keys(patch) : [];
    const replicaKeys = Object.keys(REPLICAS[run.kind].shape);
    const looksLikeRun = keys.some((key) => key !== 'kind' && !replicaKeys.includes(key));
    return { ok: false, issues: looksLikeRun ? asRun.error.issues : asReplica.error.issues };
  }
  const replica = asReplica.data as Record<string, unknown>;
  const defined = run as unknown as Record<string, unknown>;
  if (run.kind === 'raycluster') {
    const workers = defined.workers !== null && typeof defined.workers === 'object' ? Object.keys(defined.workers) : [];
    return {
      ok: true,
      replicated: true,
      patch: {
        ...(defined.head ? { head: structuredClone(replica) } : {}),
        ...(workers.length
          ? { workers: Object.fromEntries(workers.map((name) => [name, structuredClone(replica)])) }
          : {}),
      },
    };
  }
  const roles = Object.keys(REPLICA_ROLES[run.kind]).filter((role) => defined[role]);
  return {
    ok: true,
    replicated: true,
    patch: Object.fromEntries(roles.map((role) => [role, structuredClone(replica)])),
  };
}

/** The replica roles of each kind, in Polyaxon's order (get_replica_types). */
const REPLICA_ROLES: Record<Exclude<DistributedKind, 'raycluster'>, Record<string, true>> = {
  tfjob: { chief: true, ps: true, worker: true, evaluator: true },
  pytorchjob: { master: true, worker: true },
  mpijob: { launcher: true, worker: true },
  daskcluster: { worker: true, scheduler: true },
};
