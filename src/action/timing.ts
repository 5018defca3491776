import type { FollowOptions } from '../cluster/follow-workflow.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../cluster/retry.js';

/**
 * The waits the Action decides itself, in one place: retry back-offs (and the waits servers ask
 * for with Retry-After), the watch's reconnection back-off and its safety-net polling, GitHub's
 * retry delays. In production they are the defaults. The tests run the bundled Action as a
 * process, as the runner does, and shrink them all with POLYAXON_ARGO_TIME_SCALE (0.01: a
 * hundredth), so a test of five retries takes milliseconds, not a minute; timings the user
 * chose (the `timeout` input) are never scaled.
 */
export interface Timing {
  retry: RetryPolicy;
  follow: Pick<FollowOptions, 'pollIntervalMs' | 'minBackoffMs' | 'maxBackoffMs'>;
  /** Octokit's retry plugins wait this many ms per second they compute or GitHub asks for. */
  githubRetryAfterBaseMs: number;
}

export function actionTiming(env: NodeJS.ProcessEnv = process.env): Timing {
  const parsed = Number(env.POLYAXON_ARGO_TIME_SCALE);
  const scale = Number.isFinite(parsed) && parsed > 0 && parsed <= 1 ? parsed : 1;
  return {
    retry: {
      ...DEFAULT_RETRY_POLICY,
      baseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs * scale,
      maxWaitMs: DEFAULT_RETRY_POLICY.maxWaitMs * scale,
      serverWaitScale: scale,
    },
    follow: { pollIntervalMs: 30_000 * scale, minBackoffMs: 1000 * scale, maxBackoffMs: 30_000 * scale },
    githubRetryAfterBaseMs: 1000 * scale,
  };
}
