import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

/**
 * An Octokit that waits out GitHub's rate limits (primary: twice, then gives up; secondary:
 * waits as told) and retries transient server errors. The base URL comes from GITHUB_API_URL,
 * which @actions/github reads, so tests can point it at a local stand-in.
 */
export function createGitHubClient(token: string, log: (message: string) => void): GitHubClient {
  const throttle: ThrottlingOptions = {
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
    { throttle, retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] } } as Parameters<typeof getOctokit>[1],
    throttling,
    retry,
  );
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
