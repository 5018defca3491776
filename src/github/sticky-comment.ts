import { createOnce, type GitHubClient, type Repository } from './octokit.js';

/**
 * One comment per pull request that the Action keeps up to date: found by a hidden marker in its
 * body, written by the same account, updated in place, never duplicated.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  repository: Repository,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const text = `${marker}\n${body}`;
  const existing = await findComment(client, repository, issueNumber, marker);
  if (existing) return updateComment(client, repository, existing, text);
  const comment = await createOnce(
    async () =>
      (
        await client.rest.issues.createComment({
          ...repository,
          issue_number: issueNumber,
          body: text,
          request: { retries: 0 },
        })
      ).data as Comment,
    () => findComment(client, repository, issueNumber, marker),
  );
  return comment.body === text ? 'created' : updateComment(client, repository, comment, text);
}

interface Comment {
  id: number;
  body?: string;
}

async function findComment(
  client: GitHubClient,
  repository: Repository,
  issueNumber: number,
  marker: string,
): Promise<Comment | undefined> {
  const comments = await client.paginate(client.rest.issues.listComments, {
    ...repository,
    issue_number: issueNumber,
    per_page: 100,
  });
  return comments.find(
    (comment) => comment.body?.includes(marker) && (comment.user?.type === 'Bot' || comment.performed_via_github_app),
  );
}

async function updateComment(
  client: GitHubClient,
  repository: Repository,
  comment: Comment,
  text: string,
): Promise<'updated' | 'unchanged'> {
  if (comment.body === text) return 'unchanged';
  await client.rest.issues.updateComment({ ...repository, comment_id: comment.id, body: text });
  return 'updated';
}
