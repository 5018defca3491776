import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPolyaxonfile, isSelected, listWorkspaceFiles, scanFiles } from '../src/action/discover.js';
import { describeImpact, hubFile, ReferenceGraph, usesOf } from '../src/action/reference-graph.js';

/** Telling Polyaxonfiles from other YAML and JSON by their content, and the repository's reference graph. */

const is = (text: string) => detectPolyaxonfile(text).polyaxonfile;

describe('a Polyaxonfile, whatever its name', () => {
  it.each([
    ['block style', 'version: 1.1\nkind: component\nrun: {kind: job}\n'],
    ['an operation', "# nightly\nversion: 1.1\nkind: 'operation'\npathRef: ../components/train.yaml\n"],
    ['flow style', '{version: 1.1, kind: component, run: {kind: dag, operations: []}}\n'],
    ['flow style over lines', '{\n  version: 1.1,\n  kind: component,\n  run: {kind: dag}\n}\n'],
    ['JSON', '{"version": 1.1, "kind": "component", "run": {"kind": "dag", "operations": []}}'],
    ['a document marker and comments', '%YAML 1.1\n---\n# a pipeline\nversion: 1.1 # current\nkind: component\n'],
    ['the header after other sections', 'name: x\nrun:\n  kind: job\nkind: component\nversion: 1.1\n'],
    ['anchors', 'version: &v 1.1\nkind: &k operation\nhubRef: trainer\n'],
    ['a misspelt kind with Polyaxon sections', 'version: 1.1\nkind: compnent\nrun: {kind: job}\n'],
    [
      'a YAML syntax error under a Polyaxon header',
      'version: 1.1\nkind: component\nrun:\n  kind: dag\n   operations: [\n',
    ],
    ['broken flow style', '{version: 1.1, kind: operation, hubRef: [}\n'],
    [
      'several documents, the first a Polyaxonfile',
      'version: 1.1\nkind: component\n---\nversion: 1.1\nkind: component\n',
    ],
  ])('is found in %s', (_, text) => {
    expect(is(text)).toBe(true);
  });

  it.each([
    ['a Kubernetes manifest', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n'],
    ['an Argo workflow we wrote', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\n'],
    ['a CI file', 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: npm test}]\n'],
    ['a Helm chart', 'apiVersion: v2\nname: chart\nversion: 1.2.3\n'],
    ['a package.json', '{"name": "x", "version": "1.0.0", "kind": "library"}'],
    ['JSON data', '[{"kind": "component", "version": 1}]'],
    [
      'a Polyaxonfile quoted inside a ConfigMap',
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  p.yaml: |\n    version: 1.1\n    kind: component\n',
    ],
    ['a broken file that is not one', 'apiVersion: v1\nkind: Pod\nversion: [\n'],
    ['an empty file', ''],
    ['kind and version nested', 'spec:\n  version: 1.1\n  kind: component\n'],
  ])('is not %s', (_, text) => {
    expect(is(text)).toBe(false);
  });

  it('hands back the parsed document, for the reference graph', () => {
    expect(detectPolyaxonfile('{"version": 1.1, "kind": "operation", "hubRef": "trainer"}')).toEqual({
      polyaxonfile: true,
      document: { version: 1.1, kind: 'operation', hubRef: 'trainer' },
    });
  });
});

describe('finding files in the workspace', () => {
  it('lists YAML and JSON by glob, never looks into node_modules or .git, drops exclusions, and judges by content', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'discover-'));
    const files: Record<string, string> = {
      'ml/train.yaml': 'version: 1.1\nkind: component\nrun: {kind: job}\n',
      'ml/dag.json': '{"version": 1.1, "kind": "component", "run": {"kind": "dag"}}',
      'k8s/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
      'vendor/lib/pipeline.yaml': 'version: 1.1\nkind: component\n',
      'out/ml/train.argo.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n',
      'node_modules/pkg/polyaxonfile.yaml': 'version: 1.1\nkind: component\n',
      '.git/x.yaml': 'version: 1.1\nkind: component\n',
      'big.yaml': `version: 1.1\nkind: component\nrun: {kind: job}\n# ${'x'.repeat(5000)}\n`,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const selection = { files: ['**/*.yaml', '**/*.json'], exclude: ['vendor', 'out/**'] };
    const listed = await listWorkspaceFiles(selection, root);
    expect(listed).toEqual(['big.yaml', 'k8s/deploy.yaml', 'ml/dag.json', 'ml/train.yaml']);
    const scanned = await scanFiles(listed, root, 1000);
    expect([...scanned.polyaxonfiles.keys()]).toEqual(['big.yaml', 'ml/dag.json', 'ml/train.yaml']);
    expect(scanned.skipped).toEqual([{ file: 'k8s/deploy.yaml', reason: 'no header' }]);
    expect(isSelected('vendor/lib/pipeline.yaml', selection)).toBe(false);
    expect(isSelected('ml/train.yaml', { files: ['ml/train.yaml'], exclude: [] })).toBe(true);
  });
});

describe('the reference graph', () => {
  const files = new Set([
    'ml/pipelines/train.yaml',
    'ml/pipelines/nightly.json',
    'ml/components/prep.yaml',
    'ml/hub/trainer.yaml',
    'ml/hub/eval/v2.yml',
    'ml/connections.yaml',
  ]);
  const context = { files, hubDir: 'ml/hub', catalog: 'ml/connections.yaml' };
  const documents = new Map<string, unknown>([
    [
      'ml/pipelines/train.yaml',
      {
        version: 1.1,
        kind: 'component',
        run: {
          kind: 'dag',
          operations: [
            { name: 'prep', pathRef: '../components/prep.yaml' },
            { name: 'train', hubRef: 'trainer', hooks: [{ hubRef: 'eval:v2', trigger: 'succeeded' }] },
            { name: 'dynamic', pathRef: '{{ globals.path }}' },
          ],
        },
      },
    ],
    ['ml/pipelines/nightly.json', { version: 1.1, kind: 'operation', pathRef: 'train.yaml' }],
    [
      'ml/components/prep.yaml',
      { version: 1.1, kind: 'component', run: { kind: 'job', container: { args: ['{{ connections.data.bucket }}'] } } },
    ],
    ['ml/hub/trainer.yaml', { version: 1.1, kind: 'component', run: { kind: 'job', connections: ['models'] } }],
    ['ml/hub/eval/v2.yml', { version: 1.1, kind: 'component', run: { kind: 'job' } }],
  ]);
  const graph = new ReferenceGraph(documents, context);

  it('follows pathRef relative to the file, hubRef into the hub folder (the file that exists), and connections to the catalog', () => {
    expect(usesOf('ml/pipelines/train.yaml', documents.get('ml/pipelines/train.yaml'), context)).toEqual([
      { via: 'pathRef', target: 'ml/components/prep.yaml' },
      { via: 'hubRef', target: 'ml/hub/eval/v2.yml' },
      { via: 'hubRef', target: 'ml/hub/trainer.yaml' },
    ]);
    expect(graph.uses.get('ml/components/prep.yaml')).toEqual([{ via: 'connections', target: 'ml/connections.yaml' }]);
    expect(hubFile('owner/name:1.0', context)).toBe('ml/hub/owner/name/1.0.yaml');
    expect(hubFile('../escape', context)).toBeUndefined();
    expect(graph.isUsed('ml/hub/trainer.yaml')).toBe(true);
    expect(graph.isUsed('ml/pipelines/nightly.json')).toBe(false);
  });

  it('re-checks every user of a changed hub component, at any depth, saying why', () => {
    const impact = graph.impact(['ml/hub/trainer.yaml']);
    expect([...impact.keys()].sort()).toEqual([
      'ml/hub/trainer.yaml',
      'ml/pipelines/nightly.json',
      'ml/pipelines/train.yaml',
    ]);
    expect(describeImpact(impact.get('ml/hub/trainer.yaml')!)).toBe('changed');
    expect(describeImpact(impact.get('ml/pipelines/train.yaml')!)).toBe('uses `ml/hub/trainer.yaml`, changed');
    expect(describeImpact(impact.get('ml/pipelines/nightly.json')!)).toBe(
      'uses `ml/pipelines/train.yaml`, which uses `ml/hub/trainer.yaml`, changed',
    );
  });

  it('re-checks the users of the connections catalog and of removed files', () => {
    const catalog = graph.impact(['ml/connections.yaml']);
    expect([...catalog.keys()].sort()).toEqual([
      'ml/components/prep.yaml',
      'ml/hub/trainer.yaml',
      'ml/pipelines/nightly.json',
      'ml/pipelines/train.yaml',
    ]);
    expect(describeImpact(catalog.get('ml/hub/trainer.yaml')!, 'ml/connections.yaml')).toBe(
      'uses the connections catalog `ml/connections.yaml`, changed',
    );
    const removed = graph.impact([], ['ml/components/prep.yaml']);
    expect(describeImpact(removed.get('ml/pipelines/train.yaml')!)).toBe('uses `ml/components/prep.yaml`, removed');
  });

  it('ignores changes nothing uses, and files outside the graph', () => {
    expect([...graph.impact(['README.md', 'k8s/deploy.yaml']).keys()]).toEqual([]);
  });
});
