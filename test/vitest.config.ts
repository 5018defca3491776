import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.tools/vitest-report.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          // Builds the real `argo` CLI and argo-eval, and installs the pinned `polyaxon` package, once
          // (cached outside the repo) before any test needs them.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Builds and starts a real cluster on this machine: etcd, kube-apiserver, kube-scheduler,
          // a kubelet with containerd and runc in its own network namespace, Argo's workflow-controller.
          globalSetup: ['test/e2e/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          // After the unit tests, so their load does not skew the cluster's timings.
          sequence: { groupOrder: 1 },
          // One file at a time: the workflow-controller is shared, and its health port is fixed.
          fileParallelism: false,
        },
      },
    ],
  },
});
