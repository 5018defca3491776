import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** The bundles under test: dist/, or a fresh build elsewhere (POLYAXON_ARGO_DIST) before dist/ is rebuilt. */
const ACTION_DIST = process.env.POLYAXON_ARGO_DIST
  ? path.resolve(process.env.POLYAXON_ARGO_DIST)
  : path.join(REPO_ROOT, 'dist');

export interface ActionRun {
  code: number | null;
  /** Standard output and error, as the runner logs them. */
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** What the step saved for its post step (`core.saveState`). */
  state: Record<string, string>;
  /** The GITHUB_OUTPUT and GITHUB_STATE files as written. */
  files: { output: string; state: string };
}

/**
 * Runs the bundled Action (dist/index.js) as the runner does: inputs as INPUT_* variables, the
 * event in GITHUB_EVENT_PATH, outputs and summary in files. Returns the child (to signal it)
 * and a promise of what it did.
 */
export function startAction(options: {
  inputs: Record<string, string>;
  event: object;
  eventName: string;
  apiUrl: string;
  workspace: string;
  env?: Record<string, string>;
  stateFile?: boolean;
}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary.md'),
    state: path.join(dir, 'state'),
  };
  writeFileSync(files.event, JSON.stringify(options.event));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.state, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/ml',
    GITHUB_RUN_ID: '99',
    GITHUB_SHA: 'c'.repeat(40),
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    // Without it, @actions/core saves state with ::save-state commands on stdout (older runners).
    ...(options.stateFile ? { GITHUB_STATE: files.state } : {}),
    INPUT_TOKEN: 'ghs_testtoken0123456789',
    ...Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  const child = spawn(process.execPath, [path.join(ACTION_DIST, 'index.js')], { env, cwd: options.workspace });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<ActionRun>((resolve) => {
    child.on('close', (code) => {
      const output = readFileSync(files.output, 'utf8');
      const state = readFileSync(files.state, 'utf8');
      resolve({
        code,
        stdout,
        outputs: fileCommands(output),
        summary: readFileSync(files.summary, 'utf8'),
        state: fileCommands(state),
        files: { output, state },
      });
    });
  });
  return { child, done };
}

/** Polls until `check` returns a value (the stand-ins are driven by the test). */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** NAME<<DELIMITER … DELIMITER entries of a GITHUB_OUTPUT or GITHUB_STATE file; the last value of a name wins. */
function fileCommands(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^(\S+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1]!, m[3]!]));
}

/** The state a step saved (its stdout's ::save-state commands), as the runner hands it to the post step: STATE_* variables. */
export function savedState(stdout: string): Record<string, string> {
  return Object.fromEntries(
    [...stdout.matchAll(/^::save-state name=([^:]+)::(.*)$/gm)].map((m) => [`STATE_${m[1]}`, m[2]!]),
  );
}
