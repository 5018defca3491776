/**
 * When a failed Kubernetes API request is sent again, and after how long. Which requests may be
 * repeated at all is the caller's call (argo-api.ts): reads and idempotent patches after any
 * transient fault, a create only when the server cannot have acted on it.
 */

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** The most we wait in all; a Retry-After that would exceed it ends the retries at once. */
  maxWaitMs: number;
  /** The wait when the server does not say, doubled after each attempt. */
  baseDelayMs: number;
  /** Multiplies the waits servers ask for (Retry-After); 1 but in tests. */
  serverWaitScale?: number;
}

/** About a minute: long enough for API Priority and Fairness (Retry-After: 1) or an API server restart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, maxWaitMs: 60_000, baseDelayMs: 1000 };

/**
 * The wait before the next attempt, once attempt `attempt` (1-based) failed after `waitedMs` of
 * waiting so far; undefined to give up. `retryAfterMs` is what the server asked for, if anything.
 */
export function retryDelay(
  attempt: number,
  waitedMs: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay =
    retryAfterMs !== undefined ? retryAfterMs * (policy.serverWaitScale ?? 1) : policy.baseDelayMs * 2 ** (attempt - 1);
  return waitedMs + delay <= policy.maxWaitMs ? delay : undefined;
}

/** A Retry-After header (RFC 9110 §10.2.3): seconds, or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
