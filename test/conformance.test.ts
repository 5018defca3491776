import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../src/diagnostics/diagnostic.js';
import { loadPolyaxonfile, type LoadOptions } from '../src/load.js';
import { createLoader } from '../src/resolve/loader.js';
import { transpile } from '../src/transpile.js';
import { lintManifests } from './support/argo-lint.js';
import { SHARED_FIXTURES } from './support/paths.js';

/**
 * Polyaxon's own fixtures must get the verdict Polyaxon's tests give them, as stated in
 * EXPECTED.md next to them. The table is read, not copied, so a fixture added there is
 * tested here too.
 */

interface Row {
  file: string;
  status: string;
}

function readExpectations(): Row[] {
  const rows: Row[] = [];
  let folder = '';
  for (const line of readFileSync(path.join(SHARED_FIXTURES, 'EXPECTED.md'), 'utf8').split('\n')) {
    const heading = /^## (\w+)\//.exec(line);
    if (heading) folder = heading[1]!;
    const row = /^\| ([\w.]+\.(?:ya?ml|json)) \| ([^|]+) \|/.exec(line);
    if (row && folder) {
      const file = `${folder}/${row[1]}`;
      rows.push({ file, status: CHANGED_IN_2_18[file] ?? row[2]!.trim() });
    }
  }
  return rows;
}

/**
 * EXPECTED.md gives Polyaxon 2.16's verdicts; where 2.18 (the version we are checked against,
 * see test/polyaxon/differential.test.ts) changed one, its verdict wins.
 */
const CHANGED_IN_2_18: Record<string, string> = {
  // `version` is no longer checked: 0.4 loads.
  'plain/non_supported_file.yml': 'loads (Polyaxon 2.18 ignores `version`)',
};

/** Params Polyaxon's tests pass to the files that need them (from EXPECTED.md). */
const PARAMS: Record<string, [string, string][]> = {
  'typing/required_inputs.yml': [
    ['loss', 'bar'],
    ['flag', 'false'],
  ],
  'typing/required_inputs_with_arg_format.yml': [
    ['loss', 'bar'],
    ['flag', 'true'],
  ],
  'typing/run_cmd_simple_file.yml': [['num_masks', '100']],
  'typing/run_with_refs.yml': [
    ['num_masks', '2'],
    ['model_path', '/models/masks'],
  ],
};

/** What each rejected file is rejected for: the diagnostic code we must report. */
const REJECTION_CODES: Record<string, string> = {
  'pipelines/cyclic_pipeline.yml': 'cycle',
  'pipelines/pipeline_ops_not_corresponding_to_components.yml': 'unknown-dag-ref',
  'pipelines/pipeline_with_no_components.yml': 'unknown-dag-ref',
  'pipelines/pipeline_with_no_ops.yml': 'no-operations',
  'typing/matrix_job_required_inputs_file_wrong_matrix_type.yml': 'invalid-value',
  // 2.18 loads it (operations may carry component fields there): a deliberate difference for now.
  'typing/untyped_params.yml': 'unknown-field',
  'plain/job_missing_container.yml': 'missing-field',
  'plain/jupyterlab_service_with_custom_environment.yml': 'yaml-syntax',
  'plain/missing_kind.yml': 'missing-kind',
  'plain/missing_version.yml': 'reference-count',
  'plain/replicas_file_with_custom_configs_and_resources.yml': 'unexpected-section',
  'plain/simple_json_file.json': 'missing-kind',
  'plain/tensorboard_with_custom_environment.yml': 'unexpected-section',
  'samples/artifaction_location.yaml': 'unexpected-section',
  'samples/condition.yaml': 'yaml-syntax',
  'samples/image_pull_secret.yaml': 'unexpected-section',
  'samples/parallel_join.yaml': 'yaml-syntax',
};

/** The component Polyaxon's test serves for ref_pipeline.yml's pathRef and urlRef. */
const REF_COMPONENT =
  'version: 1.1\nkind: component\ninputs:\n- {name: str-input, type: str}\nrun: {kind: job, container: {image: busybox}}\n';
const REF_URL = 'https://foo.bar';

let refFixtureDir: string;

beforeAll(() => {
  // ref_pipeline.yml's pathRef is relative to the file: give it a real component beside a copy.
  refFixtureDir = mkdtempSync(path.join(tmpdir(), 'ref-pipeline-'));
  cpSync(path.join(SHARED_FIXTURES, 'pipelines', 'ref_pipeline.yml'), path.join(refFixtureDir, 'ref_pipeline.yml'));
  mkdirSync(path.join(refFixtureDir, 'path', 'to'), { recursive: true });
  writeFileSync(path.join(refFixtureDir, 'path', 'to', 'component'), REF_COMPONENT);
});

function sourceOf(file: string) {
  const isRefPipeline = file === 'pipelines/ref_pipeline.yml';
  const absolutePath = isRefPipeline ? path.join(refFixtureDir, 'ref_pipeline.yml') : path.join(SHARED_FIXTURES, file);
  // The one URL the fixture names cannot be reached from here; serve it like the network would.
  const real = createLoader({ offline: true });
  const loader = {
    ...real,
    readUrl: async (url: string) => (url === REF_URL ? { name: url, text: REF_COMPONENT } : real.readUrl(url)),
  };
  return { text: readFileSync(absolutePath, 'utf8'), options: { absolutePath, loader } };
}

async function load(file: string, extra: LoadOptions = {}) {
  const { text, options } = sourceOf(file);
  return loadPolyaxonfile(file, text, { ...options, ...extra });
}

const rows = readExpectations();

describe('Polyaxon conformance fixtures (EXPECTED.md)', () => {
  it('reads every fixture from the table, and every fixture on disk is in it', () => {
    const onDisk = readdirSync(SHARED_FIXTURES, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(SHARED_FIXTURES, d.name)).map((f) => `${d.name}/${f}`));
    expect(rows.map((r) => r.file).sort()).toEqual(onDisk.sort());
  });

  for (const { file, status } of rows) {
    if (status.startsWith('loads')) {
      it(`${file} loads`, async () => {
        const result = await load(file, { params: PARAMS[file] ?? [] });
        expect(result.diagnostics.filter(isError)).toEqual([]);
        expect(result.root).toBeDefined();
      });
      if (status.includes('needs params')) {
        it(`${file} needs params: without them it is rejected for its required inputs`, async () => {
          const result = await load(file);
          const missing = result.diagnostics.filter((d) => d.code === 'missing-param');
          expect(missing.length).toBeGreaterThan(0);
          expect(missing[0]!.hint).toContain('--param');
        });
      }
    } else {
      it(`${file} is rejected (${status.slice(0, 60)})`, async () => {
        const result = await load(file);
        expect(result.root).toBeUndefined();
        expect(result.diagnostics.filter(isError).map((d) => d.code)).toContain(REJECTION_CODES[file]);
      });
    }
  }

  it('rejects a param the component does not declare (simple_job.yml takes none)', async () => {
    const result = await load('plain/simple_job.yml', { params: [['lr', '0.1']] });
    expect(result.diagnostics.map((d) => [d.code, d.location.file])).toEqual([['unexpected-param', '<command line>']]);
  });

  it('rejects an extra param next to the required ones (required_inputs.yml)', async () => {
    const result = await load('typing/required_inputs.yml', {
      params: [...PARAMS['typing/required_inputs.yml']!, ['value', '1']],
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unexpected-param']);
  });

  it('points at the cycle in cyclic_pipeline.yml and names it', async () => {
    const result = await load('pipelines/cyclic_pipeline.yml');
    const cycle = result.diagnostics.find((d) => d.code === 'cycle')!;
    expect(cycle.message).toMatch(/(A -> B -> A|B -> A -> B)/);
    expect(cycle.location.line).toBeGreaterThan(1);
  });

  it('reports a missing pathRef component where the pathRef is written', async () => {
    const result = await loadPolyaxonfile(
      'ref.yml',
      readFileSync(path.join(SHARED_FIXTURES, 'pipelines', 'ref_pipeline.yml'), 'utf8'),
      {
        absolutePath: path.join(SHARED_FIXTURES, 'pipelines', 'ref_pipeline.yml'),
        offline: true,
      },
    );
    const codes = result.diagnostics.filter(isError).map((d) => `${d.location.line}:${d.location.column} ${d.code}`);
    expect(codes).toEqual(['14:16 unresolved-reference', '19:15 unresolved-reference']);
    expect(result.diagnostics.find((d) => d.location.line === 19)!.message).toContain('--offline');
  });
});

/**
 * Loadable fixtures that Argo cannot run as written, and the feature that stops each one.
 * Everything else must transpile and pass the real `argo lint --offline`.
 */
const TRANSPILE_REFUSED: Record<string, string> = {
  'pipelines/matrix_file.yml': 'needs a tuner',
  'pipelines/matrix_file_early_stopping.yml': 'without a `container`',
  'pipelines/matrix_file_with_int_float_types.yml': 'without a `container`',
  'pipelines/ref_pipeline.yml': 'without a `container`',
  'pipelines/simple_dag_pipeline_with_builds.yml': '`build` needs the Polyaxon platform',
  'pipelines/simple_joins_pipeline.yml': 'without a hub directory',
  'plain/distributed_dask_file.yml': 'daskcluster',
  'plain/distributed_ray_file.yml': 'raycluster',
  'plain/distributed_tensorflow_file_build.yml': '`build` needs the Polyaxon platform',
  'plain/job_file_with_init.yml': 'plugin `auth`',
  'plain/job_file_with_templated_file_init_and_to_env.yml': 'plugin `auth`',
  'plain/matrix_job_file.yml': 'needs a tuner',
  'plain/matrix_job_file_build.yml': 'needs a tuner',
  'plain/polyaxonfile_with_contexts_requirements.yaml': 'artifacts store',
  'typing/auto_delayed_validation_with_jinja.yml': 'future_context_value',
  'typing/matrix_job_required_inputs_file.yml': 'needs a tuner',
};

describe('Polyaxon conformance fixtures on Argo', () => {
  const loadable = rows.filter((r) => r.status.startsWith('loads')).map((r) => r.file);
  const outputs = new Map<string, string>();
  const dir = mkdtempSync(path.join(tmpdir(), 'conformance-argo-'));

  for (const file of loadable) {
    const refused = TRANSPILE_REFUSED[file];
    it(refused ? `${file} is refused: ${refused}` : `${file} transpiles`, async () => {
      const { text, options } = sourceOf(file);
      const result = await transpile(file, text, { ...options, kind: 'workflow', params: PARAMS[file] ?? [] });
      if (refused) {
        expect(result.output).toBeUndefined();
        expect(
          result.diagnostics
            .filter(isError)
            .map((d) => d.message)
            .join('\n'),
        ).toContain(refused);
      } else {
        expect(result.diagnostics.filter(isError)).toEqual([]);
        const out = path.join(dir, file.replace('/', '__').replace(/\.(ya?ml|json)$/, '.argo.yaml'));
        writeFileSync(out, result.output!);
        outputs.set(file, out);
      }
    });
  }

  it('every transpiled fixture passes the real `argo lint --offline`', async () => {
    expect(outputs.size).toBe(loadable.length - Object.keys(TRANSPILE_REFUSED).length);
    const result = await lintManifests([...outputs.values()]);
    expect(Object.fromEntries(result.errors)).toEqual({});
    expect(result.ok).toBe(true);
  });
});
