import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths.js';

const run = promisify(execFile);

/** The real argo CLI, built by scripts/setup-argo.sh (the test suite's global setup runs it). */
export function argoBinary(): string {
  const binary = path.join(REPO_ROOT, '.tools', 'bin', 'argo');
  if (!existsSync(binary)) throw new Error('the argo CLI is missing: run `bash scripts/setup-argo.sh`');
  return binary;
}

export interface LintResult {
  ok: boolean;
  /** Every error line, by file. */
  errors: Map<string, string[]>;
  output: string;
}

/**
 * `argo lint --offline` over many manifests in one process (it takes ~50 ms, most of it
 * start-up). With `--output simple` each problem is one line: `FILE: in "NAME" (KIND): MESSAGE`.
 */
export async function lintManifests(files: readonly string[]): Promise<LintResult> {
  const args = ['lint', '--offline', '--output', 'simple', '--no-color', ...files];
  let output: string;
  let ok = true;
  try {
    const { stdout, stderr } = await run(argoBinary(), args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', KUBECONFIG: '/dev/null' },
      maxBuffer: 16 * 1024 * 1024,
    });
    output = stdout + stderr;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    output = (failure.stdout ?? '') + (failure.stderr ?? '');
    ok = false;
  }
  const errors = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const file = files.find((f) => line.startsWith(`${f}: `));
    if (file) errors.set(file, [...(errors.get(file) ?? []), line.slice(file.length + 2)]);
  }
  return { ok: ok && errors.size === 0, errors, output };
}
