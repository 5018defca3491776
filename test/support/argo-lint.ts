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
  const result = await lintOnce(files);
  // A file Go cannot read is only logged (`msg="yaml file is not valid"`, without its name) and
  // does not fail a run over several files: find which, one at a time.
  if (!UNREADABLE.test(result.output) || files.length === 1) return result;
  for (const file of files) {
    const alone = await lintOnce([file]);
    const reason = UNREADABLE.exec(alone.output);
    if (reason) result.errors.set(file, [...(result.errors.get(file) ?? []), `unreadable by argo: ${reason[1]}`]);
  }
  return { ...result, ok: false };
}

const UNREADABLE = /msg="(?:yaml|json) file is not valid".*?error="([^"]*)"/;

async function lintOnce(files: readonly string[]): Promise<LintResult> {
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
  const unreadable = files.length === 1 ? UNREADABLE.exec(output) : null;
  if (unreadable) errors.set(files[0]!, [`unreadable by argo: ${unreadable[1]}`]);
  for (const line of output.split('\n')) {
    const file = files.find((f) => line.startsWith(`${f}: `));
    if (file) errors.set(file, [...(errors.get(file) ?? []), line.slice(file.length + 2)]);
  }
  return { ok: ok && errors.size === 0, errors, output };
}
