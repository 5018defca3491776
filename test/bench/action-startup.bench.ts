import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

/**
 * Part of `npm run bench`: the GitHub Action's cold start, from spawning `node dist/index.js` as
 * the runner does to the first line it logs, and the bundle's size. Each run is a fresh process
 * (validate mode, an empty workspace). POLYAXON_ARGO_DIST measures another build. Writes its
 * figures to BENCH_STARTUP_OUT.
 */

const RUNS = 15;

function firstLine(bundle: string, workspace: string): Promise<number> {
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(workspace, 'event.json'),
    GITHUB_STEP_SUMMARY: path.join(workspace, 'summary.md'),
    GITHUB_OUTPUT: path.join(workspace, 'output'),
    GITHUB_STATE: path.join(workspace, 'state'),
    GITHUB_REPOSITORY: 'acme/ml',
  };
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [bundle], { env, cwd: workspace });
    let ms: number | undefined;
    child.stdout.once('data', () => (ms = Number(process.hrtime.bigint() - start) / 1e6));
    child.on('error', reject);
    child.on('close', () => (ms === undefined ? reject(new Error('the Action printed nothing')) : resolve(ms)));
  });
}

it('starts the Action', async () => {
  const dist = process.env.POLYAXON_ARGO_DIST
    ? path.resolve(process.env.POLYAXON_ARGO_DIST)
    : path.join(REPO_ROOT, 'dist');
  const bundle = path.join(dist, 'index.js');
  const workspace = mkdtempSync(path.join(tmpdir(), 'bench-startup-'));
  for (const file of ['summary.md', 'output', 'state']) writeFileSync(path.join(workspace, file), '');
  writeFileSync(path.join(workspace, 'event.json'), '{}');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await firstLine(bundle, workspace));
  const first = times[0]!;
  times.sort((a, b) => a - b);
  const result = {
    bundleBytes: statSync(bundle).size,
    firstRunMs: Math.round(first),
    bestMs: Math.round(times[0]!),
    medianMs: Math.round(times[Math.floor(times.length / 2)]!),
    runs: RUNS,
  };
  if (process.env.BENCH_STARTUP_OUT) writeFileSync(process.env.BENCH_STARTUP_OUT, JSON.stringify(result));
  else console.log(result);
}, 300_000);
