import type { GitHubClient, Repository } from './octokit.js';

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

export interface ChangedFiles {
  /** Added or changed (a renamed file under its new name). */
  changed: string[];
  /** Removed, and renamed files under their old name: whoever used them must be checked again. */
  removed: string[];
  /** GitHub stopped listing at MAX_LISTED_FILES: more files may have changed. */
  truncated: boolean;
}

/** The files a pull request changes, every page of them. */
export async function listChangedFiles(
  client: GitHubClient,
  repository: Repository,
  pullNumber: number,
): Promise<ChangedFiles> {
  const listed = await client.paginate(client.rest.pulls.listFiles, {
    ...repository,
    pull_number: pullNumber,
    per_page: 100,
  });
  const changed: string[] = [];
  const removed: string[] = [];
  for (const file of listed) {
    if (file.status === 'removed') removed.push(file.filename);
    else changed.push(file.filename);
    if (file.status === 'renamed' && file.previous_filename) removed.push(file.previous_filename);
  }
  return { changed, removed, truncated: listed.length >= MAX_LISTED_FILES };
}
