import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GitHubStandIn } from './github-server.js';
import { KubeStandIn } from './kube-server.js';
import { TWO_STEP_PIPELINE } from './pipelines.js';

/** The pull request the Action tests run on. */
export const PULL_REQUEST = 7;

/**
 * What one Action test runs against: the GitHub and Kubernetes stand-ins, and a workspace whose
 * `polyaxonfile.yaml` (the two-step pipeline) pull request 7 adds.
 */
export interface PullRequestWorld {
  github: GitHubStandIn;
  kube: KubeStandIn;
  /** The GitHub stand-in's API URL. */
  apiUrl: string;
  /** The Kubernetes stand-in's URL. */
  server: string;
  /** A kubeconfig for the Kubernetes stand-in, with its token. */
  kubeconfig: string;
  workspace: string;
  stop(): Promise<void>;
}

export async function startPullRequestWorld(options: { kubeToken?: string } = {}): Promise<PullRequestWorld> {
  const github = new GitHubStandIn();
  const apiUrl = await github.start();
  const kube = new KubeStandIn();
  if (options.kubeToken) kube.token = options.kubeToken;
  const server = await kube.start();
  const workspace = mkdtempSync(path.join(tmpdir(), 'workspace-'));
  writeFileSync(path.join(workspace, 'polyaxonfile.yaml'), TWO_STEP_PIPELINE);
  github.state.pullFiles.set(PULL_REQUEST, [{ filename: 'polyaxonfile.yaml', status: 'added' }]);
  return {
    github,
    kube,
    apiUrl,
    server,
    kubeconfig: kubeconfigFor(server, `token: ${kube.token}`),
    workspace,
    stop: async () => {
      await kube.stop();
      await github.stop();
    },
  };
}

/** A kubeconfig whose one context reaches `server` as the user `user` (YAML of its fields). */
export const kubeconfigFor = (server: string, user: string): string => `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "${server}", insecure-skip-tls-verify: true}
users:
- name: ci
  user: {${user}}
contexts:
- name: local
  context: {cluster: local, user: ci}
current-context: local
`;

/** The `pull_request` event payload of pull request 7, from the repository itself or from a fork. */
export const pullRequestEvent = (options: { fork?: boolean } = {}) => ({
  number: PULL_REQUEST,
  pull_request: {
    number: PULL_REQUEST,
    head: { sha: 'a'.repeat(40), repo: { full_name: options.fork ? 'stranger/ml' : 'acme/ml' } },
    base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/ml' } },
  },
});
