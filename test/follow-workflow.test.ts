import { describe, expect, it } from 'vitest';
import {
  followWorkflow,
  WorkflowDeletedError,
  type WatchEvent,
  type WorkflowSource,
} from '../src/cluster/follow-workflow.js';
import type { WorkflowObject } from '../src/watch/workflow-status.js';

const version = (rv: number, phase = 'Running'): WorkflowObject => ({
  metadata: { name: 'wf', resourceVersion: String(rv) },
  status: { phase },
});

/**
 * A scripted API server: `gets` are the successive GET answers, `streams` what each watch
 * connection sends before it closes (`hang` keeps it open until aborted).
 */
function scripted(gets: WorkflowObject[], streams: (WatchEvent[] | 'hang')[]) {
  const watchedFrom: string[] = [];
  let getCount = 0;
  const source: WorkflowSource = {
    get: () => Promise.resolve(gets[Math.min(getCount++, gets.length - 1)]!),
    watch: async (resourceVersion, onEvent, signal) => {
      watchedFrom.push(resourceVersion);
      const script = streams.shift() ?? 'hang';
      if (script !== 'hang') {
        for (const event of script) onEvent(event);
        return;
      }
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  return { source, watchedFrom, gets: () => getCount };
}

async function collect(source: WorkflowSource, options = {}) {
  const seen: string[] = [];
  for await (const workflow of followWorkflow(source, { minBackoffMs: 1, pollIntervalMs: 10_000, ...options }))
    seen.push(`${workflow.metadata.resourceVersion}:${workflow.status?.phase}`);
  return seen;
}

describe('following a workflow', () => {
  it('resumes from the last version after a drop, relists on 410 Gone, skips bookmarks, stops when it finishes', async () => {
    const { source, watchedFrom } = scripted(
      [version(1), version(5)],
      [
        [{ type: 'MODIFIED', object: version(2) }],
        [{ type: 'ERROR', object: { metadata: {}, code: 410, message: 'too old resource version' } }],
        [
          { type: 'BOOKMARK', object: version(6) },
          { type: 'MODIFIED', object: version(7, 'Succeeded') },
        ],
      ],
    );
    expect(await collect(source)).toEqual(['1:Running', '2:Running', '5:Running', '7:Succeeded']);
    expect(watchedFrom).toEqual(['1', '2', '5']);
  });

  it('yields each version once, even when the watch repeats it', async () => {
    const { source } = scripted(
      [version(1)],
      [
        [{ type: 'MODIFIED', object: version(1) }],
        [{ type: 'MODIFIED', object: version(2) }],
        [{ type: 'MODIFIED', object: version(2) }],
        [{ type: 'MODIFIED', object: version(3, 'Failed') }],
      ],
    );
    expect(await collect(source)).toEqual(['1:Running', '2:Running', '3:Failed']);
  });

  it('collapses the versions that queued up while the consumer was busy into the newest', async () => {
    const { source } = scripted(
      [version(1)],
      [
        [
          { type: 'MODIFIED', object: version(2) },
          { type: 'MODIFIED', object: version(3) },
          { type: 'BOOKMARK', object: version(4) },
        ],
        [{ type: 'MODIFIED', object: version(5, 'Succeeded') }],
      ],
    );
    const seen: string[] = [];
    for await (const workflow of followWorkflow(source, { minBackoffMs: 1 })) {
      seen.push(workflow.metadata.resourceVersion!);
      await new Promise((resolve) => setTimeout(resolve, 20)); // a slow consumer
    }
    expect(seen).toEqual(['1', '3', '5']);
  });

  it('falls back on a periodic GET when a quiet watch never delivers', async () => {
    const { source, gets } = scripted([version(1), version(1), version(4, 'Succeeded')], ['hang', 'hang']);
    expect(await collect(source, { pollIntervalMs: 5 })).toEqual(['1:Running', '4:Succeeded']);
    expect(gets()).toBe(3);
  });

  it('backs off between empty streams and keeps going', async () => {
    const { source, watchedFrom } = scripted(
      [version(1)],
      [[], [], [], [{ type: 'MODIFIED', object: version(2, 'Succeeded') }]],
    );
    expect(await collect(source)).toEqual(['1:Running', '2:Succeeded']);
    expect(watchedFrom).toEqual(['1', '1', '1', '1']);
  });

  it('fails clearly when the workflow is deleted under it', async () => {
    const { source } = scripted([version(1)], [[{ type: 'DELETED', object: version(2) }]]);
    await expect(collect(source)).rejects.toBeInstanceOf(WorkflowDeletedError);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const { source } = scripted([version(1)], ['hang']);
    setTimeout(() => controller.abort(), 20);
    expect(await collect(source, { signal: controller.signal })).toEqual(['1:Running']);
  });
});
