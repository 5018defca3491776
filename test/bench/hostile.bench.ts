import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { HOSTILE } from '../support/hostile-inputs.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * How long the CLI takes to refuse each hostile file, in a fresh process (the target is under
 * a second each). Writes its figures to BENCH_HOSTILE_OUT.
 */
it('refuses every hostile file quickly', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-hostile-'));
  const results: { file: string; code: string; exitCode: number | null; ms: number }[] = [];
  for (const [file, [content, code]] of Object.entries(HOSTILE)) {
    writeFileSync(path.join(dir, file), content);
    const start = process.hrtime.bigint();
    const run = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.js'), 'validate', path.join(dir, file)],
      { encoding: 'utf8' },
    );
    results.push({ file, code, exitCode: run.status, ms: Math.round(Number(process.hrtime.bigint() - start) / 1e6) });
  }
  expect(results.every((r) => r.exitCode === 1)).toBe(true);
  if (process.env.BENCH_HOSTILE_OUT) writeFileSync(process.env.BENCH_HOSTILE_OUT, JSON.stringify(results));
}, 120_000);
