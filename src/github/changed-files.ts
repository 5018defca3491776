import type { GitHubClient, Repository } from './octokit.js';

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

/** The files a pull request adds or changes (not removed ones), every page of them. */
export async function listChangedFiles(
  client: GitHubClient,
  repository: Repository,
  pullNumber: number,
): Promise<{ files: string[]; truncated: boolean }> {
  const listed = await client.paginate(client.rest.pulls.listFiles, {
    ...repository,
    pull_number: pullNumber,
    per_page: 100,
  });
  const files = listed.filter((file) => file.status !== 'removed').map((file) => file.filename);
  return { files, truncated: listed.length >= MAX_LISTED_FILES };
}
