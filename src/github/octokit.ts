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
      log(`GitHub rate limit hit on ${options.method} ${options.url}; ${retryCount < 2 ? `retrying in ${retryAfter}s` : 'giving up'}`);
      return retryCount < 2;
    },
    onSecondaryRateLimit: (retryAfter, options) => {
      log(`GitHub secondary rate limit hit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
      return true;
    },
  };
  return getOctokit(token, { throttle, retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] } } as Parameters<typeof getOctokit>[1], throttling, retry);
}

export interface Repository {
  owner: string;
  repo: string;
}

/** The HTTP status of an Octokit error, if it is one. */
export const statusOf = (error: unknown): number | undefined => (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined);
