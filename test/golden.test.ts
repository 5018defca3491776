import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConnectionCatalog } from '../src/resolve/connection-catalog.js';
import { transpile, type TranspileOptions } from '../src/transpile.js';
import { lintManifests } from './support/argo-lint.js';
import { REPO_ROOT } from './support/paths.js';

/**
 * Golden files: every pipeline in fixtures/pipelines/ transpiles to exactly its reviewed
 * `NAME.argo.yaml`, and every golden passes the real `argo lint --offline`.
 * After a deliberate change, regenerate with `UPDATE_GOLDEN=1 npm test` and review the diff.
 */

const DIR = path.join(REPO_ROOT, 'fixtures', 'pipelines');
const update = process.env.UPDATE_GOLDEN === '1';

const pipelines = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
      .sort()
  : [];

function options(): TranspileOptions {
  const catalogFile = path.join(DIR, 'connections.yaml');
  const catalog = existsSync(catalogFile)
    ? readConnectionCatalog('fixtures/pipelines/connections.yaml', readFileSync(catalogFile, 'utf8')).catalog
    : undefined;
  return {
    kind: 'workflow',
    offline: true,
    hubDir: path.join(DIR, 'hub'),
    cwd: REPO_ROOT,
    ...(catalog ? { connections: catalog } : {}),
  };
}

async function transpileFixture(file: string) {
  const absolutePath = path.join(DIR, file);
  return transpile(`fixtures/pipelines/${file}`, readFileSync(absolutePath, 'utf8'), { ...options(), absolutePath });
}

const golden = (file: string) => path.join(DIR, file.replace(/\.(ya?ml|json)$/, '.argo.yaml'));

describe('golden manifests (fixtures/pipelines)', () => {
  it('has a corpus of at least 30 pipelines', () => {
    expect(pipelines.length).toBeGreaterThanOrEqual(30);
  });

  for (const file of pipelines) {
    it(`${file} transpiles to its golden manifest`, async () => {
      const result = await transpileFixture(file);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (update) writeFileSync(golden(file), result.output!);
      expect(result.output).toBe(readFileSync(golden(file), 'utf8'));
    });
  }

  it('gives byte-identical output when run twice', async () => {
    for (const file of pipelines.slice(0, 5)) {
      const [a, b] = [await transpileFixture(file), await transpileFixture(file)];
      expect(a.output).toBe(b.output);
    }
  });

  it('every golden manifest passes the real `argo lint --offline`', async () => {
    const goldens = pipelines.map(golden).filter((g) => existsSync(g));
    expect(goldens.length).toBe(pipelines.length);
    const result = await lintManifests(goldens);
    expect(Object.fromEntries(result.errors)).toEqual({});
    expect(result.ok).toBe(true);
  });
});

describe('argo lint catches what we would get wrong', () => {
  it('reports a broken manifest against the right file (so a green lint means something)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lint-'));
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:\n      - {name: a, template: missing}\n',
    );
    const result = await lintManifests([broken]);
    expect(result.ok).toBe(false);
    expect(result.errors.get(broken)).toEqual([
      `in "x-" (Workflow): templates.main.tasks.a template name 'missing' undefined`,
    ]);
  });
});
