import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

/**
 * An Octokit that waits out GitHub's rate limits (primary: twice, then gives up; secondary:
 * waits as told) and retries transient server errors. The base URL comes from GITHUB_API_URL,
 * which @actions/github reads, so tests can point it at a local stand-in.
 */
export function createGitHubClient(
  token: string,
  log: (message: string) => void,
  options: { retryAfterBaseMs?: number } = {},
): GitHubClient {
  // Both plugins wait `seconds × retryAfterBaseValue` ms; the tests shrink it (src/action/timing.ts).
  const retryAfterBaseValue = options.retryAfterBaseMs ?? 1000;
  const throttle: ThrottlingOptions = {
    retryAfterBaseValue,
    // GitHub asks for a second between content-creating requests (three for those that notify,
    // such as comments); the throttling plugin spaces them so. Shrunk with the rest in tests only.
    ...(retryAfterBaseValue < 1000
      ? { write: spacedWrites(retryAfterBaseValue), notifications: spacedWrites(3 * retryAfterBaseValue) }
      : {}),
    onRateLimit: (retryAfter, options, _octokit, retryCount) => {
      log(
        `GitHub rate limit hit on ${options.method} ${options.url}; ${retryCount < 2 ? `retrying in ${retryAfter}s` : 'giving up'}`,
      );
      return retryCount < 2;
    },
    onSecondaryRateLimit: (retryAfter, options) => {
      log(`GitHub secondary rate limit hit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
      return true;
    },
  };
  return getOctokit(
    token,
    { throttle, retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451], retryAfterBaseValue } },
    throttling,
    retry,
  );
}

/**
 * A stand-in for the plugin's write limiter (a Bottleneck group: `key(id).schedule(options, job)`)
 * that spaces jobs `minMs` apart.
 */
function spacedWrites(minMs: number): NonNullable<ThrottlingOptions['write']> {
  let next = 0;
  const limiter = {
    schedule: async <T>(_options: unknown, job: () => T | Promise<T>): Promise<T> => {
      const now = Date.now();
      const wait = Math.max(0, next - now);
      next = Math.max(now, next) + minMs;
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      return job();
    },
  };
  return { key: () => limiter } as unknown as NonNullable<ThrottlingOptions['write']>;
}

export interface Repository {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit error, if it is one. */
export const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;

/**
 * A POST that must not be repeated blindly: a 5xx or a broken connection may come after GitHub
 * created the object. `create` is sent without the client's retries (`request: { retries: 0 }`);
 * after such a failure the object is looked for, and created once more only if it is not there.
 * Rate limits were waited out by the client and other 4xx are final: neither created anything.
 */
export async function createOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && status < 500) throw error;
    return (await find()) ?? create();
  }
}
