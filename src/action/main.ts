import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { isError } from '../diagnostics/diagnostic.js';
import { listChangedFiles } from '../github/changed-files.js';
import { readFileAtRef } from '../github/file-at-ref.js';
import { createGitHubClient, statusOf, type GitHubClient, type Repository } from '../github/octokit.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import { annotate } from './annotations.js';
import { checkFile, loadSettings, transpileFile, type CheckedFile, type CheckSettings } from './check-files.js';
import { clusterDryRun } from './cluster-dry-run.js';
import { parseInputs, type Config } from './inputs.js';
import { diffManifests } from './report/manifest-diff.js';
import { COMMENT_LIMIT, COMMENT_MARKER, renderReport } from './report/markdown.js';
import { describeError, maskInputSecrets, redact } from './secrets.js';
import { selectFiles } from './select-files.js';
import { submit } from './submit-mode.js';
import { actionTiming } from './timing.js';

interface PullRequest {
  number: number;
  base: { sha: string; repo: { full_name: string } };
  head: { sha: string; repo: { full_name: string } | null };
}

/** The Action: one top-level catch, so any failure ends as a failed step with one clear line. */
export async function run(): Promise<void> {
  try {
    // Masked before anything can fail: no message may ever show them.
    maskInputSecrets();
    const { config, errors } = parseInputs((name) => core.getInput(name));
    if (!config) {
      for (const error of errors) core.error(redact(error));
      core.setFailed(redact(`invalid inputs: ${errors.join('; ')}`));
      return;
    }
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    await checkPolyaxonfiles(config, workspace);
  } catch (error) {
    core.setFailed(`polyaxon-argo: ${describeError(error)}`);
  }
}

async function checkPolyaxonfiles(config: Config, workspace: string): Promise<void> {
  const pull = context.payload.pull_request as PullRequest | undefined;
  const repository: Repository = context.repo;
  const timing = actionTiming();
  const client = config.token
    ? createGitHubClient(config.token, (m) => core.info(redact(m)), { retryAfterBaseMs: timing.githubRetryAfterBaseMs })
    : undefined;

  const { settings, diagnostics: settingsProblems } = await loadSettings(config, workspace);
  annotate(settingsProblems);
  if (settingsProblems.some(isError)) {
    core.setFailed('the connections catalog is invalid');
    return;
  }

  const selection = await core.group('Find Polyaxonfiles', async () => {
    if (pull && client) {
      const changes = await listChangedFiles(client, repository, pull.number);
      if (changes.truncated)
        core.warning(
          'the pull request changes more files than GitHub lists (3,000): every Polyaxonfile of the repository is checked',
        );
      return selectFiles(config, workspace, changes);
    }
    return selectFiles(config, workspace);
  });
  const files = selection.files.map((f) => f.file);
  if (files.length) {
    core.info(`Checking ${files.length} Polyaxonfile(s):`);
    for (const { file, role, reason } of selection.files)
      core.info(`  ${file}${role === 'component' ? ' (component)' : ''}${reason ? `: ${reason}` : ''}`);
  } else core.warning(selection.none);
  if (selection.skipped.length)
    core.info(
      `Skipped ${selection.skipped.length} other YAML/JSON file(s), not Polyaxonfiles: ${selection.skipped.slice(0, 20).join(', ')}${selection.skipped.length > 20 ? ', …' : ''}`,
    );

  const checked: CheckedFile[] = [];
  for (const { file, role, reason } of selection.files) {
    const result = await core.group(`Check ${file}`, async () => checkFile(file, settings, role));
    if (reason) result.reason = reason;
    annotate(result.diagnostics, file);
    if (pull && client && result.result.manifest && reason === 'changed')
      result.diff = await baseDiff(client, repository, pull, file, settings, result);
    checked.push(result);
  }

  const fromFork = pull !== undefined && pull.head.repo?.full_name !== pull.base.repo.full_name;
  if (config.kubeconfig && config.mode !== 'submit') await clusterDryRun(checked, config, fromFork, timing);

  const invalid = checked.filter((f) => f.diagnostics.some(isError));
  if (config.mode === 'transpile') await writeManifests(checked, config, workspace);

  const report = { title: 'Polyaxon pipelines on Argo', skipped: selection.skipped.length, none: selection.none };
  await core.summary.addRaw(redact(renderReport(checked, report))).write();
  if (pull && client && config.comment && checked.length)
    await comment(
      client,
      repository,
      pull,
      redact(renderReport(checked, { ...report, limit: COMMENT_LIMIT, footer: footer() })),
    );

  core.setOutput('files', JSON.stringify(files));
  core.setOutput('valid', String(invalid.length === 0));
  if (invalid.length) {
    core.setFailed(
      `${invalid.length} of ${files.length} Polyaxonfile(s) are invalid: ${invalid.map((f) => f.file).join(', ')}`,
    );
    return;
  }
  if (config.mode === 'submit') {
    if (fromFork && context.eventName === 'pull_request_target' && !config.allowForkSubmit) {
      core.setFailed(
        "submit refused: this pull_request_target run would submit a pipeline from a fork, that is containers chosen by someone outside the repository, with this repository's cluster credentials. Submit only after review (e.g. a label-gated or environment-protected job), or set `allow-fork-submit: true` if that is really intended.",
      );
      return;
    }
    if (checked.length !== 1) {
      core.setFailed(
        `submit mode runs exactly one pipeline, but ${checked.length} Polyaxonfiles were selected${checked.length ? `: ${files.join(', ')}` : ''}; narrow the \`files\` input to one file`,
      );
      return;
    }
    await submit(checked[0]!, config, {
      timing,
      client,
      repository,
      headSha: pull?.head.sha ?? context.sha,
      pullNumber: pull?.number,
    });
  }
}

/** How the manifest changes against the pull request's base commit. */
async function baseDiff(
  client: GitHubClient,
  repository: Repository,
  pull: PullRequest,
  file: string,
  settings: CheckSettings,
  head: CheckedFile,
): Promise<CheckedFile['diff']> {
  try {
    const text = await readFileAtRef(client, repository, file, pull.base.sha);
    if (text === undefined) return 'new-file';
    const base = await transpileFile(file, text, settings, head.role);
    return diffManifests(base.manifest, head.result.manifest);
  } catch (error) {
    core.warning(`could not compare \`${file}\` with the base commit: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * The sticky comment; a token that may not comment (pull requests from forks), or GitHub failing
 * past the client's retries, degrades to the summary and the annotations.
 */
async function comment(client: GitHubClient, repository: Repository, pull: PullRequest, body: string): Promise<void> {
  if (pull.head.repo?.full_name !== pull.base.repo.full_name) {
    core.notice(
      'This pull request comes from a fork: its token cannot comment, so the report is in the job summary and the annotations only.',
    );
    return;
  }
  try {
    const outcome = await upsertStickyComment(client, repository, pull.number, COMMENT_MARKER, body);
    core.info(`Pull request comment ${outcome}.`);
  } catch (error) {
    if (statusOf(error) === 403) {
      core.notice(
        'The token cannot comment on this pull request (it needs `pull-requests: write`); the report is in the job summary and the annotations.',
      );
      return;
    }
    // GitHub failing past the client's retries must not hide the result: the comment is a copy.
    core.warning(
      `could not update the pull request comment (${describeError(error)}); the report is in the job summary and the annotations.`,
    );
  }
}

function footer(): string {
  const { serverUrl, runId } = context;
  const { owner, repo } = context.repo;
  return `<sub>[Full report in the job summary](${serverUrl}/${owner}/${repo}/actions/runs/${runId})</sub>`;
}

/** transpile mode: one manifest per valid file under `output-dir`, mirroring the repository layout. */
async function writeManifests(checked: readonly CheckedFile[], config: Config, workspace: string): Promise<void> {
  const written: string[] = [];
  for (const file of checked) {
    // A component runs inside the pipelines that use it: it has no manifest of its own.
    if (!file.result.output || file.role === 'component') continue;
    const target = path.join(config.outputDir, file.file.replace(/\.(ya?ml|json)$/i, '.argo.yaml'));
    await mkdir(path.dirname(path.resolve(workspace, target)), { recursive: true });
    await writeFile(path.resolve(workspace, target), file.result.output);
    written.push(target);
  }
  core.setOutput('manifests', JSON.stringify(written));
  core.info(`Wrote ${written.length} manifest(s) to ${config.outputDir}`);
}
