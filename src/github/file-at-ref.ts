import { statusOf, type GitHubClient, type Repository } from './octokit.js';

/** A file's text at a commit (the pull request's base), or undefined when it does not exist there. */
export async function readFileAtRef(
  client: GitHubClient,
  repository: Repository,
  file: string,
  ref: string,
): Promise<string | undefined> {
  try {
    const { data } = await client.rest.repos.getContent({ ...repository, path: file, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
