// The GitHub Action's part of `npm run bench`: test/bench/compressed-status.bench.ts (one status
// update of a 5,000-node compressed workflow; target under 50 ms) and
// test/bench/action-startup.bench.ts (the Action's cold start and bundle size) write their
// figures to the files named here; bench.mjs runs them with the other benchmarks.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The environment that tells the two benchmarks where to write. */
export function actionBenchEnv(work) {
  return {
    BENCH_COMPRESSED_OUT: path.join(work, 'compressed-status.json'),
    BENCH_STARTUP_OUT: path.join(work, 'action-startup.json'),
  };
}

/** Prints their figures and returns them for the results file. */
export function reportActionBench(work) {
  const env = actionBenchEnv(work);
  const compressed = JSON.parse(readFileSync(env.BENCH_COMPRESSED_OUT, 'utf8'));
  const startup = JSON.parse(readFileSync(env.BENCH_STARTUP_OUT, 'utf8'));
  console.log(
    `\nwatcher, compressed status: ${compressed.nodes} nodes (${(compressed.rawStatusBytes / 1e6).toFixed(1)} MB of node statuses, ${(compressed.compressedBytes / 1e3).toFixed(0)} kB compressed): ${compressed.medianMs} ms per status update (p95 ${compressed.p95Ms} ms, max ${compressed.maxMs} ms; target under 50 ms) over ${compressed.events} watch events`,
  );
  console.log(
    `Action cold start (spawn to first log line): ${startup.medianMs} ms median, ${startup.bestMs} ms best, ${startup.firstRunMs} ms first of ${startup.runs}; dist/index.js ${(startup.bundleBytes / 1e6).toFixed(2)} MB`,
  );
  return { compressed, startup };
}
