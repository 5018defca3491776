import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EXTERNAL_FIXTURES, REPO_ROOT, SHARED_FIXTURES } from '../support/paths.js';

/**
 * The Polyaxonfiles both judges read: Polyaxon's own test fixtures, the external corpus of real
 * files (with the hub they reference), and our own example and invalid pipelines.
 */

export interface CorpusFile {
  corpus: Corpus;
  /** Path from the repository root, as the deliberate-differences table names it. */
  name: string;
  file: string;
  /** The `--hub` folder (served to Polyaxon on loopback). */
  hubDir?: string;
  /** `-P NAME=VALUE` params, for the fixtures Polyaxon's own tests run with params. */
  params?: [string, string][];
}

export type Corpus = 'polyaxon' | 'external' | 'pipelines' | 'invalid';

export const CORPORA: Record<Corpus, string> = {
  polyaxon: "Polyaxon's test fixtures (fixtures/polyaxon)",
  external: 'real-world Polyaxonfiles (fixtures/external)',
  pipelines: 'our example pipelines (fixtures/pipelines)',
  invalid: 'our invalid corpus (fixtures/invalid)',
};

export const HUBS = {
  external: path.join(EXTERNAL_FIXTURES, 'hub'),
  pipelines: path.join(REPO_ROOT, 'fixtures', 'pipelines', 'hub'),
};

/** Params Polyaxon's tests pass to the fixtures that need them (EXPECTED.md). */
const FIXTURE_PARAMS: Record<string, [string, string][]> = {
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

const relative = (file: string) => path.relative(REPO_ROOT, file);
const isPolyaxonfile = (file: string) =>
  /\.(ya?ml|json)$/.test(file) && !file.endsWith('.argo.yaml') && file !== 'connections.yaml';

export function corpusFiles(): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (const folder of ['pipelines', 'typing', 'plain', 'samples']) {
    for (const name of readdirSync(path.join(SHARED_FIXTURES, folder)).sort()) {
      const file = path.join(SHARED_FIXTURES, folder, name);
      files.push({ corpus: 'polyaxon', name: relative(file), file });
      const params = FIXTURE_PARAMS[`${folder}/${name}`];
      if (params) files.push({ corpus: 'polyaxon', name: `${relative(file)} with params`, file, params });
    }
  }
  const sources = readFileSync(path.join(EXTERNAL_FIXTURES, 'SOURCES.tsv'), 'utf8').split('\n').slice(1);
  for (const line of sources) {
    const name = line.split('\t')[0];
    if (!name) continue;
    const file = path.join(EXTERNAL_FIXTURES, 'files', name);
    files.push({ corpus: 'external', name: relative(file), file, hubDir: HUBS.external });
  }
  for (const corpus of ['pipelines', 'invalid'] as const) {
    const dir = path.join(REPO_ROOT, 'fixtures', corpus);
    for (const name of readdirSync(dir).filter(isPolyaxonfile).sort()) {
      const file = path.join(dir, name);
      files.push({ corpus, name: relative(file), file, hubDir: HUBS.pipelines });
    }
  }
  return files;
}
