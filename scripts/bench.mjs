// `npm run bench`: how validate and transpile scale, against the floor of reading and writing
// the same YAML. Prints a table and writes bench-results/bench-<timestamp>.json for comparison.
// Sizes and repeats: BENCH_SIZES=10,100 BENCH_REPEATS=5 npm run bench
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionBenchEnv, reportActionBench } from './bench/action.mjs';
import { generateDag } from './bench/generate-dag.mjs';
import { benchPolyaxon } from './bench/polyaxon.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli.js');
const rss = path.join(root, 'scripts', 'bench', 'report-rss.mjs');
const floorScript = path.join(root, 'scripts', 'bench', 'floor.mjs');
const sizes = (process.env.BENCH_SIZES ?? '10,100,1000,5000,20000').split(',').map(Number);
// Small runs are cheap and the most sensitive to a noisy machine: take the best of more of them.
const repeatsFor = (size) => Number(process.env.BENCH_REPEATS ?? (size <= 100 ? 10 : size <= 5000 ? 8 : 3));
// Argo keeps a Workflow in one etcd object: etcd's default request limit is 1.5 MiB.
const ETCD_LIMIT = 1.5 * 1024 * 1024;
const work = mkdtempSync(path.join(tmpdir(), 'bench-'));
// dist/cli.js keeps its compiled code in Node's compile cache: a fresh one for this run, shared by
// every measured process (the floor's included). The first run fills it and is reported apart.
const env = { ...process.env, NODE_COMPILE_CACHE: path.join(work, 'compile-cache') };

/** One fresh process: its wall time and peak memory. */
function runOnce(args) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', rss, ...args], {
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed:\n${run.stderr}`);
  const kb = Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? 0);
  return { ms, rssMb: kb / 1024 };
}

/**
 * Each command of `commands` run `repeats` times, taking turns (a, b, c, a, b, c…) so that a
 * noisy spell of the machine weighs on all of them alike: every command's runs, in turn order.
 */
function measure(commands, repeats) {
  const runs = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < repeats; i++) for (const [name, args] of Object.entries(commands)) runs[name].push(runOnce(args));
  return runs;
}

/** The fastest of some runs (its peak memory with it). */
const fastest = (runs) => runs.reduce((best, run) => (run.ms < best.ms ? run : best));

/**
 * The median of a/b over runs made in the same turn. Best times compare two lucky moments,
 * which on a shared machine need not be alike; a turn's runs follow each other within seconds.
 */
function pairedRatio(a, b) {
  const ratios = a.map((run, i) => run.ms / b[i].ms).sort((x, y) => x - y);
  const middle = ratios.length / 2;
  const median = ratios.length % 2 ? ratios[Math.floor(middle)] : (ratios[middle - 1] + ratios[middle]) / 2;
  return Number(median.toFixed(2));
}

const results = [];
const inputs = new Map();
for (const size of sizes) {
  const input = path.join(work, `dag-${size}.yaml`);
  inputs.set(size, input);
  writeFileSync(input, generateDag(size));
  const output = path.join(work, `dag-${size}.argo.yaml`);
  const json = path.join(work, `dag-${size}.argo.json`);
  // The floor writes what transpile wrote; this first run also fills the compile cache.
  const first = runOnce([cli, 'transpile', input, '--format', 'json', '-o', json]);
  const runs = measure(
    {
      transpile: [cli, 'transpile', input, '-o', output],
      validate: [cli, 'validate', input],
      floor: [floorScript, input, json, path.join(work, `floor-${size}.yaml`)],
    },
    repeatsFor(size),
  );
  const [transpile, validate, floor] = [runs.transpile, runs.validate, runs.floor].map(fastest);
  const outputBytes = statSync(output).size;
  // etcd keeps the object as compact JSON, whatever format it was written in.
  const storedBytes = Buffer.byteLength(JSON.stringify(JSON.parse(readFileSync(json, 'utf8'))));
  results.push({
    operations: size,
    inputBytes: statSync(input).size,
    outputBytes,
    bytesPerOperation: Math.round(outputBytes / size),
    validateMs: Math.round(validate.ms),
    transpileMs: Math.round(transpile.ms),
    ...(results.length === 0 && { firstRunMs: Math.round(first.ms) }),
    floorMs: Math.round(floor.ms),
    ratio: Number((transpile.ms / floor.ms).toFixed(2)),
    pairedRatio: pairedRatio(runs.transpile, runs.floor),
    peakRssMb: Math.round(Math.max(validate.rssMb, transpile.rssMb)),
    floorPeakRssMb: Math.round(floor.rssMb),
    storedBytesPerOperation: Math.round(storedBytes / size),
    fitsEtcd: storedBytes <= ETCD_LIMIT,
  });
}

// Growth exponent k between consecutive sizes: time ∝ n^k (1 = linear, 2 = quadratic).
for (let i = 1; i < results.length; i++) {
  const [a, b] = [results[i - 1], results[i]];
  b.growth = Number((Math.log(b.transpileMs / a.transpileMs) / Math.log(b.operations / a.operations)).toFixed(2));
}
const largest = results.filter((r) => r.fitsEtcd).at(-1);
const perOp = results.at(-1).storedBytesPerOperation;

const columns = [
  'operations',
  'validateMs',
  'transpileMs',
  'floorMs',
  'ratio',
  'pairedRatio',
  'growth',
  'peakRssMb',
  'floorPeakRssMb',
  'outputBytes',
  'bytesPerOperation',
  'storedBytesPerOperation',
  'fitsEtcd',
];
console.log(columns.join('\t'));
for (const r of results) console.log(columns.map((c) => r[c] ?? '').join('\t'));
console.log(
  `\nfirst run, compile cache empty: ${results[0].firstRunMs} ms to transpile ${results[0].operations} operations`,
);
console.log(
  `largest dag that fits one etcd object: about ${Math.floor(ETCD_LIMIT / perOp)} operations (${perOp} bytes of compact JSON each); of those measured: ${largest?.operations ?? 'none'}`,
);

// Polyaxon's own check on the same files, and our validate time as a ratio to it.
const polyaxon = benchPolyaxon({ root, results, inputs });

// The GitHub Action's watcher (status handling for a 1,000-operation workflow over 10,000
// events) and the refusal of hostile files, measured by test/bench/*.bench.ts.
const watcherOut = path.join(work, 'watcher.json');
const hostileOut = path.join(work, 'hostile.json');
const vitest = spawnSync(
  path.join(root, 'node_modules', '.bin', 'vitest'),
  ['run', '--config', 'test/bench/vitest.config.ts'],
  {
    cwd: root,
    env: { ...process.env, BENCH_WATCHER_OUT: watcherOut, BENCH_HOSTILE_OUT: hostileOut, ...actionBenchEnv(work) },
    encoding: 'utf8',
  },
);
if (vitest.status !== 0)
  throw new Error(`watcher and hostile-input benchmarks failed:\n${vitest.stdout}${vitest.stderr}`);
const watcher = JSON.parse(readFileSync(watcherOut, 'utf8'));
console.log(
  `\nwatcher: ${watcher.operations} operations, ${watcher.events} watch events: ${watcher.meanMs} ms per status update (p99 ${watcher.p99Ms} ms, max ${watcher.maxMs} ms); heap ${watcher.heapAfter1000EventsMb} MB after 1,000 events, ${watcher.heapAfter10000EventsMb} MB after 10,000; ${watcher.githubCalls} GitHub calls`,
);

const hostile = JSON.parse(readFileSync(hostileOut, 'utf8'));
console.log(`\nhostile files refused (exit 1), wall time of a fresh CLI process:`);
for (const h of hostile) console.log(`  ${h.file.padEnd(22)} ${h.code.padEnd(16)} ${String(h.ms).padStart(5)} ms`);
const action = reportActionBench(work);

const dir = path.join(root, 'bench-results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results, polyaxon, watcher, hostile, action }, null, 2)}\n`,
);
console.log(`results: ${path.relative(root, file)}`);
