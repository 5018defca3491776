import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/paths.js';

/** dist/ is committed for users of the CLI and the Action: it must be exactly what src/ builds. */
describe('dist/', () => {
  it('is identical to a fresh build of src/', { timeout: 120_000 }, () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'dist-'));
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), fresh], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    });
    const committed = path.join(REPO_ROOT, 'dist');
    const files = readdirSync(fresh).sort();
    expect(readdirSync(committed).sort()).toEqual(files);
    for (const file of files) {
      const same = readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(committed, file)));
      expect(same, `dist/${file} differs from a fresh build: run \`npm run build\` and commit dist/`).toBe(true);
    }
  });
});

describe('the CLI bundle', () => {
  // Start-up time: the CLI reads, checks and writes files; the cluster and GitHub clients are the Action's.
  it('holds the YAML parser and the schema library, and no Kubernetes or GitHub client', () => {
    const bundle = readFileSync(path.join(REPO_ROOT, 'dist', 'cli-main.js'), 'utf8');
    const packages = new Set(
      [...bundle.matchAll(/^;?\/\/ (?:EXTERNAL|CONCATENATED) MODULE: \.\/node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map(
        (match) => match[1],
      ),
    );
    expect([...packages].sort()).toEqual(['yaml', 'zod']);
    expect(bundle).not.toMatch(/KubeConfig|octokit|@actions\//i);
  });
});

describe('the Action bundle', () => {
  // Start-up time: GitHub starts the Action afresh in every job; parsing is most of its start.
  it('stays under 8 MB, with our own Kubernetes client rather than @kubernetes/client-node', () => {
    const dist = process.env.POLYAXON_ARGO_DIST
      ? path.resolve(process.env.POLYAXON_ARGO_DIST)
      : path.join(REPO_ROOT, 'dist');
    const bundle = readFileSync(path.join(dist, 'index.js'), 'utf8');
    expect(Buffer.byteLength(bundle)).toBeLessThan(8 * 1024 * 1024);
    expect(bundle).not.toMatch(/MODULE: \.\/node_modules\/@kubernetes\/client-node\//);
  });
});

describe('toolchain', () => {
  it('runs the tests on Node 24, the runtime the Action uses (runs.using: node24)', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});
