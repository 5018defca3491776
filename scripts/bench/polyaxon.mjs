// Side by side with Polyaxon: its own check (`polyaxon check -f FILE`, the pinned package that
// scripts/setup-polyaxon.sh installs) on the same generated dags, in the same run as our
// `validate`. Both are timed as fresh processes (best of N); Polyaxon's in-process check time
// (without its interpreter start and imports) is reported too, from the judge the tests use.
// Sizes: BENCH_POLYAXON_SIZES=100,1000,5000 (the default).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const DEFAULT_SIZES = '100,1000,5000';

/**
 * `results`: the bench's rows ({operations, validateMs}); `inputs`: size → generated file.
 * Returns one row per measured size, and prints them.
 */
export function benchPolyaxon({ root, results, inputs }) {
  const wanted = new Set((process.env.BENCH_POLYAXON_SIZES ?? DEFAULT_SIZES).split(',').map(Number));
  const rows = results.filter((r) => wanted.has(r.operations) && inputs.has(r.operations));
  if (rows.length === 0) return [];
  const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup-polyaxon.sh')], { encoding: 'utf8' });
  const python = path.join(root, '.tools', 'polyaxon', 'bin', 'python');
  if (setup.status !== 0 || !existsSync(python)) {
    console.log(`\npolyaxon: not measured, scripts/setup-polyaxon.sh failed:\n${setup.stderr}`);
    return [];
  }
  const version = spawnSync(python, ['-c', 'import polyaxon.pkg as p; print(p.VERSION)'], {
    encoding: 'utf8',
  }).stdout.trim();
  const cwd = path.dirname(inputs.get(rows[0].operations));
  const inProcess = judgeTimes(
    root,
    python,
    rows.map((r) => inputs.get(r.operations)),
  );

  const out = rows.map((row) => {
    const file = inputs.get(row.operations);
    let best = Infinity;
    // Polyaxon takes seconds to minutes from 1,000 operations: one run is precise enough there.
    for (let i = 0; i < (row.operations <= 100 ? 3 : 1); i++) {
      const start = process.hrtime.bigint();
      const run = spawnSync(python, ['-m', 'polyaxon', 'check', '-f', file], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (run.status !== 0 || !/Polyaxonfile valid/.test(run.stdout + run.stderr))
        throw new Error(`polyaxon check refused ${file}:\n${run.stdout}${run.stderr}`);
      best = Math.min(best, ms);
    }
    return {
      operations: row.operations,
      validateMs: row.validateMs,
      polyaxonCheckMs: Math.round(best),
      polyaxonInProcessMs: Math.round(inProcess.get(file)),
      ratio: Number((row.validateMs / best).toFixed(2)),
    };
  });

  console.log(
    `\npolyaxon ${version}: \`polyaxon check -f FILE\` on the same files (fresh processes, best of 3 up to 100 operations)`,
  );
  const columns = ['operations', 'validateMs', 'polyaxonCheckMs', 'polyaxonInProcessMs', 'ratio'];
  console.log(columns.join('\t'));
  for (const r of out) console.log(columns.map((c) => r[c]).join('\t'));
  console.log('ratio: our validate time / Polyaxon check time (below 1: we are faster)');
  return { version, rows: out };
}

/** Polyaxon's check time inside one warm process (the judge), best of three per file. */
function judgeTimes(root, python, files) {
  const judge = path.join(root, 'test', 'support', 'polyaxon-judge', 'judge.py');
  const requests = files.flatMap((file, i) =>
    [0, 1, 2].map((k) => JSON.stringify({ id: i * 3 + k, op: 'check', path: file })),
  );
  const run = spawnSync(python, [judge], {
    input: `${requests.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const times = new Map();
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue;
    const answer = JSON.parse(line);
    if (answer.id === undefined) continue;
    if (!answer.valid)
      throw new Error(`polyaxon refused ${files[Math.floor(answer.id / 3)]}: ${answer.message ?? answer.error}`);
    const file = files[Math.floor(answer.id / 3)];
    times.set(file, Math.min(times.get(file) ?? Infinity, answer.ms));
  }
  return times;
}
