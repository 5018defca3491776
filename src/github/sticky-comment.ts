import type { GitHubClient, Repository } from './octokit.js';

/**
 * One comment per pull request that the Action keeps up to date: found by a hidden marker in its
 * body, written by the same account, updated in place, never duplicated.
 */
export async function upsertStickyComment(client: GitHubClient, repository: Repository, issueNumber: number, marker: string, body: string): Promise<'created' | 'updated' | 'unchanged'> {
  const text = `${marker}\n${body}`;
  const comments = await client.paginate(client.rest.issues.listComments, { ...repository, issue_number: issueNumber, per_page: 100 });
  const mine = comments.find((comment) => comment.body?.includes(marker) && (comment.user?.type === 'Bot' || comment.performed_via_github_app));
  if (!mine) {
    await client.rest.issues.createComment({ ...repository, issue_number: issueNumber, body: text });
    return 'created';
  }
  if (mine.body === text) return 'unchanged';
  await client.rest.issues.updateComment({ ...repository, comment_id: mine.id, body: text });
  return 'updated';
}
