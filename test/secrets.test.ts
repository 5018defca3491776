import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubStandIn } from './support/github-server.js';
import type { KubeStandIn } from './support/kube-server.js';
import {
  kubeconfigFor,
  pullRequestEvent,
  startPullRequestWorld,
  type PullRequestWorld,
} from './support/pull-request.js';
import { eventually, startAction, type ActionRun } from './support/run-action.js';

/**
 * The credentials the Action holds never reach anything it writes: not the log (except the
 * ::add-mask:: commands that mask them), the job summary, the output and state files, nor any
 * request to GitHub (comments, check runs), even when an HTTP client's error quotes what a
 * careless server echoed back.
 */

const KUBE_TOKEN = 'kube-7Qx2-distinctive-token-9f1c';
const GITHUB_TOKEN = 'ghs_Distinctive0GitHub0Token0Zz81';
const CERT_DATA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUdistinctiveCertificateBody0123456789\n-----END CERTIFICATE-----\n',
).toString('base64');
const KEY_DATA = Buffer.from(
  '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIdistinctivePrivateKeyBody0123456789abcdef\n-----END EC PRIVATE KEY-----\n',
).toString('base64');
const SECRETS = [KUBE_TOKEN, GITHUB_TOKEN, CERT_DATA, KEY_DATA];

let github: GitHubStandIn;
let kube: KubeStandIn;
let apiUrl: string;
let server: string;
let workspace: string;
let world: PullRequestWorld;

beforeEach(async () => {
  world = await startPullRequestWorld({ kubeToken: KUBE_TOKEN });
  ({ github, kube, apiUrl, server, workspace } = world);
});

afterEach(() => world.stop());

const kubeconfig = (url: string) =>
  kubeconfigFor(url, `token: ${KUBE_TOKEN}, client-certificate-data: ${CERT_DATA}, client-key-data: ${KEY_DATA}`);

const event = pullRequestEvent();

function start(inputs: Record<string, string>, options: { url?: string; env?: Record<string, string> } = {}) {
  return startAction({
    inputs: {
      mode: 'submit',
      kubeconfig: kubeconfig(options.url ?? server),
      namespace: 'ml',
      comment: 'false',
      token: GITHUB_TOKEN,
      ...inputs,
    },
    event,
    eventName: 'pull_request',
    apiUrl,
    workspace,
    stateFile: !options.env,
    // Retries and back-offs a hundred times shorter (src/action/timing.ts): nothing here measures them.
    env: { POLYAXON_ARGO_TIME_SCALE: '0.01', ...options.env },
  });
}

/** Every channel the run wrote to, and every request GitHub received: no secret anywhere but in the masking commands. */
function expectNothingLeaked(run: ActionRun) {
  const lines = run.stdout.split('\n');
  for (const secret of SECRETS) expect(lines).toContain(`::add-mask::${secret}`);
  const channels = {
    log: lines.filter((line) => !line.startsWith('::add-mask::')).join('\n'),
    summary: run.summary,
    outputs: run.files.output,
    state: run.files.state,
    github: JSON.stringify(github.calls),
  };
  for (const [channel, text] of Object.entries(channels)) {
    for (const secret of SECRETS) expect(text.includes(secret), `${channel} holds a secret`).toBe(false);
  }
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('secrets', () => {
  it('never leak when the cluster answers 401', async () => {
    kube.token = 'another-token';
    const run = await start({}).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Unauthorized (HTTP 401)');
    expectNothingLeaked(run);
  });

  it('never leak when the cluster fails with a 5xx that quotes the credentials', async () => {
    kube.fail('create', { status: 500, echoAuthorization: true });
    const run = await start({}).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('(request had authorization: Bearer ***)');
    expectNothingLeaked(run);
  });

  it('never leak when the cluster refuses connections', async () => {
    const run = await start({}, { url: `http://127.0.0.1:${await closedPort()}` }).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ECONNREFUSED');
    expectNothingLeaked(run);
  });

  it('never leak while following, with faults quoting them from both APIs, through to the timeout', async () => {
    kube.fail('get', { status: 503, echoAuthorization: true });
    kube.fail('patch', { status: 500, echoAuthorization: true });
    // One update fails past the client's retries; GitHub is back for the final one.
    github.state.failures.set('checks/update', { kind: 'server', status: 500, times: 4, echoAuthorization: true });
    const action = start({ timeout: '3' });
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    kube.update(name, (wf) => (wf.status = { phase: 'Running', nodes: {} }));
    const run = await action.done;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('timed out');
    expect(run.stdout).toContain('(request had authorization: token ***)');
    expect(github.state.checkRuns.map((r) => r.conclusion)).toEqual(['timed_out', 'timed_out', 'timed_out']);
    expect(run.state).toMatchObject({ workflow: name, finished: 'true' });
    expectNothingLeaked(run);
  }, 60_000);

  it('never leak from the post step', async () => {
    const action = start({});
    await eventually(() => (github.state.checkRuns.length === 3 && kube.openWatches > 0 ? true : undefined));
    action.child.kill('SIGKILL');
    const killed = await action.done;
    kube.fail('patch', { status: 500, echoAuthorization: true });
    github.state.failures.set('checks/update', { kind: 'server', status: 500, times: 4, echoAuthorization: true });
    const post = await start(
      {},
      { env: Object.fromEntries(Object.entries(killed.state).map(([name, value]) => [`STATE_${name}`, value])) },
    ).done;
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('::warning::could not conclude check');
    expectNothingLeaked(post);
  }, 60_000);

  it('never leak in validate mode, when GitHub fails on the comment with a message quoting them', async () => {
    writeFileSync(
      path.join(workspace, 'polyaxonfile-broken.yaml'),
      'version: 1.1\nkind: component\nrun: {kind: dag, operations: []}\n',
    );
    github.state.pullFiles.set(7, [
      { filename: 'polyaxonfile.yaml', status: 'added' },
      { filename: 'polyaxonfile-broken.yaml', status: 'added' },
    ]);
    github.state.failures.set('issues/create-comment', {
      kind: 'server',
      status: 500,
      times: 1000,
      echoAuthorization: true,
    });
    const run = await start({ mode: 'validate', comment: 'true' }).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::warning::could not update the pull request comment');
    expectNothingLeaked(run);
  });
});
