import { describe, expect, it } from 'vitest';
import type { Runtime } from '../src/schema/polyaxonfile.js';
import { readRunPatch } from '../src/schema/run-patch.js';

/** runPatch as Polyaxon 2.18 reads it (validate_run_patch), for every run kind that has replicas. */

const container = { image: 'busybox', command: ['sh'] };
const patch = { container: { resources: { limits: { 'nvidia.com/gpu': 1 } } } };

describe('a runPatch written as one replica', () => {
  it('applies to every replica a tfjob defines, and to no other', () => {
    const run = { kind: 'tfjob', chief: { container }, worker: { replicas: 2, container } } as Runtime;
    const reading = readRunPatch(run, patch);
    expect(reading).toEqual({ ok: true, replicated: true, patch: { chief: patch, worker: patch } });
  });

  it('gives each replica its own copy (no shared objects, so no YAML aliases in the manifest)', () => {
    const run = { kind: 'pytorchjob', master: { container }, worker: { container } } as Runtime;
    const reading = readRunPatch(run, patch);
    expect(reading.ok && reading.patch.master).not.toBe(reading.ok && reading.patch.worker);
  });

  it('applies to the head and every worker group of a Ray cluster', () => {
    const run = {
      kind: 'raycluster',
      head: { container },
      workers: { small: { container }, big: { container } },
    } as Runtime;
    const reading = readRunPatch(run, { environment: { nodeSelector: { pool: 'gpu' } } });
    const replica = { environment: { nodeSelector: { pool: 'gpu' } } };
    expect(reading).toEqual({
      ok: true,
      replicated: true,
      patch: { head: replica, workers: { small: replica, big: replica } },
    });
  });

  it("reads a patch in the run's own shape as it is", () => {
    const run = { kind: 'mpijob', launcher: { container }, worker: { container } } as Runtime;
    expect(readRunPatch(run, { worker: { replicas: 4 } })).toMatchObject({
      ok: true,
      replicated: false,
      patch: { worker: { replicas: 4 } },
    });
  });

  it('is refused on a job for the fields a job does not have, and points inside the patch', () => {
    const reading = readRunPatch({ kind: 'job', container }, { worker: { replicas: 2 } });
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.issues.map((i) => i.code)).toEqual(['unrecognized_keys']);
  });

  it('reports what is wrong with the reading the patch looks like', () => {
    const run = { kind: 'daskcluster', worker: { container } } as Runtime;
    const asReplica = readRunPatch(run, { container: { image: 7 } });
    const asRun = readRunPatch(run, { worker: { replicas: 'two' } });
    expect(!asReplica.ok && asReplica.issues[0]!.path[0]).toBe('container');
    expect(!asRun.ok && asRun.issues[0]!.path).toEqual(['worker', 'replicas']);
  });
});
