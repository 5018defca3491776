import { defineConfig } from 'vitest/config';

/** `npm run bench` runs these measurements; `npm test` does not (they assert nothing). */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/bench/*.bench.ts'],
    pool: 'forks',
    execArgv: ['--expose-gc'],
  },
});
