import { FINAL_WORKFLOW_PHASES, type WorkflowObject } from '../watch/workflow-status.js';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: WorkflowObject & { code?: number; message?: string };
}

/** How the follower reaches one workflow; the Kubernetes client implements it, tests fake it. */
export interface WorkflowSource {
  get(): Promise<WorkflowObject>;
  /** Streams events from `resourceVersion` until the stream ends, for whatever reason. */
  watch(resourceVersion: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** A GET this often while watching, in case events were lost (default 30 s). */
  pollIntervalMs?: number;
  /** Reconnection back-off, doubled after each empty stream (defaults 1 s … 30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class WorkflowDeletedError extends Error {}

export const isFinished = (workflow: WorkflowObject): boolean =>
  FINAL_WORKFLOW_PHASES.has(workflow.status?.phase ?? '');

/**
 * Every new version of a workflow until it finishes (or `signal` aborts): a GET, then a watch
 * from its resourceVersion, resumed from the last version seen whenever the stream ends (the
 * API server and client-node close quiet watches), a fresh GET when the version is too old
 * (410 Gone arrives as an ERROR event), and a periodic GET as a safety net. Each version is
 * yielded at most once, and versions that queued up while the consumer was busy collapse into
 * the newest: a slow consumer (one GitHub write a second) never lags behind the workflow.
 */
export async function* followWorkflow(
  source: WorkflowSource,
  options: FollowOptions = {},
): AsyncGenerator<WorkflowObject> {
  const { signal, pollIntervalMs = 30_000, minBackoffMs = 1000, maxBackoffMs = 30_000 } = options;
  let latest = await source.get();
  yield latest;
  let resourceVersion = latest.metadata.resourceVersion ?? '';
  let backoff = minBackoffMs;

  const isNew = (workflow: WorkflowObject) => workflow.metadata.resourceVersion !== latest.metadata.resourceVersion;

  while (!isFinished(latest) && !signal?.aborted) {
    const queue: WatchEvent[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort);
    const stream = source
      .watch(
        resourceVersion,
        (event) => {
          queue.push(event);
          wake?.();
        },
        stop.signal,
      )
      .catch(() => undefined)
      .finally(() => {
        ended = true;
        wake?.();
      });

    let gone = false;
    let received = false;
    try {
      while (!signal?.aborted) {
        if (queue.length) {
          // Everything that arrived while the consumer was busy: only the newest version counts.
          let newest: WorkflowObject | undefined;
          for (const event of queue.splice(0)) {
            if (event.type === 'ERROR') {
              if (event.object.code === 410) gone = true;
              stop.abort();
              continue;
            }
            if (event.type === 'DELETED')
              throw new WorkflowDeletedError(`workflow ${latest.metadata.name} was deleted while being watched`);
            resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
            received = true;
            if (event.type !== 'BOOKMARK' && isNew(event.object)) newest = event.object;
          }
          if (newest) {
            latest = newest;
            yield latest;
            if (isFinished(latest)) return;
          }
          continue;
        }
        if (ended) break;
        let timer: NodeJS.Timeout | undefined;
        const polled = await new Promise<boolean>((resolve) => {
          wake = () => resolve(false);
          timer = setTimeout(() => resolve(true), pollIntervalMs);
        });
        clearTimeout(timer);
        wake = undefined;
        if (polled) {
          const fresh = await source.get();
          if (isNew(fresh)) {
            latest = fresh;
            resourceVersion = fresh.metadata.resourceVersion ?? resourceVersion;
            yield latest;
            if (isFinished(latest)) return;
          }
        }
      }
    } finally {
      stop.abort();
      signal?.removeEventListener('abort', onAbort);
      await stream;
    }
    if (signal?.aborted) return;
    if (gone) {
      // Our resourceVersion is older than the server keeps: list again and watch from there.
      const fresh = await source.get();
      resourceVersion = fresh.metadata.resourceVersion ?? '';
      if (isNew(fresh)) {
        latest = fresh;
        yield latest;
      }
      continue;
    }
    // A stream that brought events is resumed at once; an empty one (a quiet close or a
    // failure to connect) backs off, doubling up to the maximum.
    backoff = received ? minBackoffMs : Math.min(backoff * 2, maxBackoffMs);
    await sleep(received ? 0 : backoff, signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
