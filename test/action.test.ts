import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubStandIn } from './support/github-server.js';
import { TWO_STEP_PIPELINE } from './support/pipelines.js';
import { startAction } from './support/run-action.js';

/**
 * The bundled Action (dist/index.js) run as GitHub runs it: inputs in INPUT_* variables, the
 * event payload in GITHUB_EVENT_PATH, outputs and summary in files, and the GitHub API served by
 * a local stand-in that checks every call against GitHub's OpenAPI description.
 */

const VALID = TWO_STEP_PIPELINE;
const BASE = VALID.replace(/ {2}- name: train\n[\s\S]*$/, '');
const INVALID = `version: 1.1
kind: component
run:
  kind: dag
  operations:
  - {name: a, dependencies: [b], component: {run: {kind: job, container: {image: alpine}}}}
  - {name: b, dependencies: [a], component: {run: {kind: job, container: {image: alpine}}}}
`;
/** A dag Polyaxonfile not named polyaxonfile*: found by its content. */
const UNNAMED = VALID.replace('train-pipeline', 'nightly');

let github: GitHubStandIn;
let apiUrl: string;
let workspace: string;

beforeEach(async () => {
  github = new GitHubStandIn();
  apiUrl = await github.start();
  workspace = mkdtempSync(path.join(tmpdir(), 'workspace-'));
  mkdirSync(path.join(workspace, 'ml', 'pipelines'), { recursive: true });
  writeFileSync(path.join(workspace, 'ml', 'polyaxonfile.yaml'), VALID);
  writeFileSync(path.join(workspace, 'ml', 'pipelines', 'polyaxonfile-broken.yaml'), INVALID);
  writeFileSync(path.join(workspace, 'ml', 'pipelines', 'nightly.yml'), UNNAMED);
  writeFileSync(path.join(workspace, 'README.md'), '# not a pipeline\n');
  github.state.pullFiles.set(7, [
    { filename: 'README.md', status: 'modified' },
    { filename: 'ml/polyaxonfile.yaml', status: 'modified' },
    { filename: 'ml/pipelines/polyaxonfile-broken.yaml', status: 'added' },
    { filename: 'ml/pipelines/nightly.yml', status: 'added' },
    { filename: 'ml/old/polyaxonfile.yaml', status: 'removed' },
  ]);
  github.state.contents.set(`${'b'.repeat(40)}:ml/polyaxonfile.yaml`, BASE);
});

afterEach(async () => {
  await github.stop();
});

function pullRequestEvent(fork = false) {
  return {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: { sha: 'a'.repeat(40), ref: 'feature', repo: { full_name: fork ? 'stranger/ml' : 'acme/ml' } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/ml' } },
    },
    repository: { full_name: 'acme/ml', name: 'ml', owner: { login: 'acme' } },
  };
}

async function runAction(inputs: Record<string, string>, event: object, eventName = 'pull_request') {
  // GitHub's retry delays a hundred times shorter (src/action/timing.ts): the tests count calls, not seconds.
  return startAction({ inputs, event, eventName, apiUrl, workspace, env: { POLYAXON_ARGO_TIME_SCALE: '0.01' } }).done;
}

describe('the Action in validate mode on a pull request', () => {
  it('checks the changed Polyaxonfiles, annotates errors where they are, comments once and fails the step', async () => {
    const result = await runAction({}, pullRequestEvent());
    expect(result.code).toBe(1);
    expect(JSON.parse(result.outputs.files!)).toEqual([
      'ml/pipelines/nightly.yml',
      'ml/pipelines/polyaxonfile-broken.yaml',
      'ml/polyaxonfile.yaml',
    ]);
    expect(result.outputs.valid).toBe('false');
    expect(result.stdout).toContain(
      "::error title=cycle,file=ml/pipelines/polyaxonfile-broken.yaml,line=6,col=30::the dag's graph is not acyclic: b -> a -> b%0Aremove one of these dependencies",
    );
    expect(result.stdout).toContain(
      '::error::1 of 3 Polyaxonfile(s) are invalid: ml/pipelines/polyaxonfile-broken.yaml',
    );

    const comments = github.state.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- polyaxon-argo:validate -->');
    expect(comments[0]!.body).toContain('❌ 1 of 3 Polyaxonfiles invalid');
    // `prepare` changed too: the new reference makes every container define the brace variable.
    expect(comments[0]!.body).toContain('**Argo manifest vs base:** added `train`; changed `prepare`.');
    expect(comments[0]!.body).toContain('```mermaid\nflowchart LR');
    expect(result.summary).toContain("| 6:30 | ❌ | the dag's graph is not acyclic: b -> a -> b");
    expect(github.violations).toEqual([]);
  });

  it('updates its one comment on the next run instead of adding another', async () => {
    await runAction({}, pullRequestEvent());
    writeFileSync(path.join(workspace, 'ml', 'pipelines', 'polyaxonfile-broken.yaml'), VALID);
    const second = await runAction({}, pullRequestEvent());
    expect(second.code).toBe(0);
    const comments = github.state.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('✅ 3 Polyaxonfiles valid');
    expect(github.calls.filter((c) => c.operation === 'issues/update-comment')).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('leaves a comment alone when nothing changed', async () => {
    await runAction({}, pullRequestEvent());
    await runAction({}, pullRequestEvent());
    expect(github.calls.filter((c) => c.operation === 'issues/update-comment')).toHaveLength(0);
    expect(github.calls.filter((c) => c.operation === 'issues/create-comment')).toHaveLength(1);
  });

  it('on a pull request from a fork, reports through annotations and the summary only, and says so', async () => {
    const result = await runAction({}, pullRequestEvent(true));
    expect(result.code).toBe(1);
    expect(github.calls.some((c) => c.operation.startsWith('issues/'))).toBe(false);
    expect(result.stdout).toContain('::notice::This pull request comes from a fork');
    expect(result.summary).toContain('❌ 1 of 3 Polyaxonfiles invalid');
  });

  it('degrades to the summary when the token may not comment (403)', async () => {
    github.state.failures.set('issues/create-comment', 403);
    const result = await runAction({}, pullRequestEvent());
    expect(result.stdout).toContain('::notice::The token cannot comment on this pull request');
    expect(result.code).toBe(1);
  });

  it.each([
    ['rate-limit', 403, 'GitHub rate limit hit'],
    ['secondary', 403, 'GitHub secondary rate limit hit'],
    ['server', 502, ''],
  ] as const)('waits out a %s fault and still comments exactly once', async (kind, status, logged) => {
    github.state.failures.set('issues/create-comment', { kind, times: 1 });
    const result = await runAction({}, pullRequestEvent());
    expect(result.code).toBe(1); // the broken pipeline, not the fault
    expect(github.calls.filter((c) => c.operation === 'issues/create-comment').map((c) => c.status)).toEqual([
      status,
      201,
    ]);
    expect(github.state.comments.get(7)).toHaveLength(1);
    expect(result.stdout).toContain(logged);
    expect(github.violations).toEqual([]);
  });

  it('does not comment twice when GitHub fails after creating the comment', async () => {
    github.state.failures.set('issues/create-comment', { kind: 'server', times: 1, after: true });
    const result = await runAction({}, pullRequestEvent());
    expect(result.code).toBe(1);
    expect(github.calls.filter((c) => c.operation === 'issues/create-comment').map((c) => c.status)).toEqual([502]);
    expect(github.state.comments.get(7)).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('gives up on a fault that lasts, warns, and still reports through annotations and the summary', async () => {
    github.state.failures.set('issues/create-comment', { kind: 'server', times: 100 });
    const result = await runAction({}, pullRequestEvent());
    expect(result.code).toBe(1);
    expect(github.calls.filter((c) => c.operation === 'issues/create-comment').length).toBeLessThanOrEqual(4);
    expect(result.stdout).toMatch(/::warning::.*comment/i);
    expect(result.stdout).toContain('::error title=cycle,file=ml/pipelines/polyaxonfile-broken.yaml');
    expect(result.summary).toContain("the dag's graph is not acyclic");
    expect(result.stdout).not.toMatch(/\n\s+at /);
  });

  it("reads every page of the pull request's files", async () => {
    const others = Array.from({ length: 230 }, (_, i) => ({ filename: `docs/page-${i}.md`, status: 'added' }));
    github.state.pullFiles.set(7, [...others, { filename: 'ml/polyaxonfile.yaml', status: 'modified' }]);
    const result = await runAction({}, pullRequestEvent());
    expect(JSON.parse(result.outputs.files!)).toEqual(['ml/polyaxonfile.yaml']);
    expect(github.calls.filter((c) => c.operation === 'pulls/list-files').map((c) => c.url)).toEqual([
      '/repos/acme/ml/pulls/7/files?per_page=100',
      '/repos/acme/ml/pulls/7/files?per_page=100&page=2',
      '/repos/acme/ml/pulls/7/files?per_page=100&page=3',
    ]);
    expect(github.violations).toEqual([]);
  });

  it('reports every input problem at once', async () => {
    const result = await runAction({ mode: 'deploy', offline: 'yes' }, pullRequestEvent());
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::input `mode` must be validate, transpile or submit, got `deploy`');
    expect(result.stdout).toContain('::error::input `offline` must be true or false, got `yes`');
    expect(github.calls).toEqual([]);
  });

  it('annotates a bad `params` line as a problem of the input, not of a file GitHub cannot show', async () => {
    const result = await runAction(
      { params: 'epochs=10', files: 'ml/polyaxonfile.yaml' },
      { ref: 'refs/heads/main' },
      'push',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('<command line>');
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors[0]).toMatch(
      /^::error title=unexpected-param::input `params` \(checking ml\/polyaxonfile\.yaml\): operation `train-pipeline` received the unexpected param `epochs`: .*%0A/,
    );
    expect(result.summary).toContain(
      '| input `params` | ❌ | operation `train-pipeline` received the unexpected param `epochs`',
    );
  });

  it('masks the token and never prints it otherwise', async () => {
    const result = await runAction({}, pullRequestEvent());
    const lines = result.stdout.split('\n').filter((line) => line.includes('ghs_testtoken0123456789'));
    expect(lines).toEqual(['::add-mask::ghs_testtoken0123456789']);
    expect(result.summary).not.toContain('ghs_testtoken0123456789');
  });
});

describe('the Action in transpile mode on a push', () => {
  it('finds Polyaxonfiles by glob in the workspace and writes their manifests', async () => {
    writeFileSync(path.join(workspace, 'ml', 'pipelines', 'polyaxonfile-broken.yaml'), VALID);
    const result = await runAction({ mode: 'transpile', 'output-dir': 'out' }, { ref: 'refs/heads/main' }, 'push');
    expect(result.code).toBe(0);
    // Found by their content, whatever their names.
    expect(JSON.parse(result.outputs.manifests!)).toEqual([
      'out/ml/pipelines/nightly.argo.yaml',
      'out/ml/pipelines/polyaxonfile-broken.argo.yaml',
      'out/ml/polyaxonfile.argo.yaml',
    ]);
    expect(readFileSync(path.join(workspace, 'out', 'ml', 'polyaxonfile.argo.yaml'), 'utf8')).toContain(
      'kind: Workflow',
    );
    expect(existsSync(path.join(workspace, 'out', 'ml', 'pipelines', 'nightly.argo.yaml'))).toBe(true);
    expect(github.calls).toEqual([]);
  });
});
