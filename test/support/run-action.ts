import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs the bundled Action (dist/index.js) as the runner does: inputs as INPUT_* variables, the
 * event in GITHUB_EVENT_PATH, outputs and summary in files. Returns the child (to signal it)
 * and a promise of what it did.
 */
export function startAction(options: { inputs: Record<string, string>; event: object; eventName: string; apiUrl: string; workspace: string; env?: Record<string, string> }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const files = { event: path.join(dir, 'event.json'), output: path.join(dir, 'output'), summary: path.join(dir, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(options.event));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
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
    INPUT_TOKEN: 'ghs_testtoken0123456789',
    ...Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'index.js')], { env, cwd: options.workspace });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<ActionRun>((resolve) => {
    child.on('close', (code) => {
      const outputs = Object.fromEntries([...readFileSync(files.output, 'utf8').matchAll(/^(\S+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1]!, m[3]!]));
      resolve({ code, stdout, outputs, summary: readFileSync(files.summary, 'utf8') });
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

/** The state a step saved with `::save-state` (read back by the post step as STATE_* variables). */
export function savedState(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^::save-state name=([^:]+)::(.*)$/gm)].map((m) => [`STATE_${m[1]}`, m[2]!]));
}
