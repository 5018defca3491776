import * as core from '@actions/core';
import { context } from '@actions/github';
import { ArgoApi } from '../cluster/argo-api.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { createGitHubClient } from '../github/octokit.js';
import { STATE } from './submit-mode.js';

/**
 * The post step. When the main step was killed while following a workflow (a cancelled job
 * that did not stop in time), stop the workflow and conclude the checks it left open as
 * cancelled. It only warns: a post step must not fail a job for cleanup.
 */
export async function post(): Promise<void> {
  const name = core.getState(STATE.workflow);
  if (!name || core.getState(STATE.finished) === 'true') return;
  try {
    const { config, secrets } = loadKubeConfig(core.getInput('kubeconfig'));
    for (const secret of secrets) core.setSecret(secret);
    await new ArgoApi(config, core.getState(STATE.namespace) || 'default').shutdown(name, 'Stop');
    core.info(`Stopped workflow ${name}.`);
  } catch (error) {
    core.warning(`could not stop workflow ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const token = core.getInput('token');
  const checks = JSON.parse(core.getState(STATE.checks) || '{}') as Record<string, number>;
  if (!token || !Object.keys(checks).length) return;
  core.setSecret(token);
  const client = createGitHubClient(token, (m) => core.info(m));
  for (const [checkName, id] of Object.entries(checks)) {
    await client.rest.checks
      .update({ ...context.repo, check_run_id: id, status: 'completed', conclusion: 'cancelled', completed_at: new Date().toISOString(), output: { title: `${checkName}: cancelled`, summary: `The job was cancelled; workflow \`${name}\` was stopped.` } })
      .catch((error: Error) => core.warning(`could not conclude check ${checkName}: ${error.message}`));
  }
}
