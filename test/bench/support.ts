import { writeFileSync } from 'node:fs';
import { CheckRunReporter } from '../../src/github/check-runs.js';
import type { GitHubClient } from '../../src/github/octokit.js';

/** The Action's check-run reporter, over a GitHub client that answers at once and counts its calls. */
export function countingReporter(): { reporter: CheckRunReporter; calls: () => number } {
  let calls = 0;
  const client = {
    rest: {
      checks: {
        create: () => Promise.resolve({ data: { id: ++calls } }),
        update: () => Promise.resolve((calls++, { data: {} })),
      },
    },
  } as unknown as GitHubClient;
  const reporter = new CheckRunReporter(
    client,
    { owner: 'acme', repo: 'ml' },
    { prefix: 'argo', headSha: 'a'.repeat(40), maxCheckRuns: 50 },
  );
  return { reporter, calls: () => calls };
}

/** The time below which `share` of the sorted `times` fall, in ms to `digits` decimals. */
export const quantile = (sorted: readonly number[], share: number, digits: number): number =>
  Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!.toFixed(digits));

/** A bench's figures, to the file the environment variable `out` names (for `npm run bench`), or printed. */
export function report(out: string, figures: object): void {
  const file = process.env[out];
  if (file) writeFileSync(file, JSON.stringify(figures));
  else console.log(figures);
}
