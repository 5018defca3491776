import type { DiagnosticCode } from '../../src/diagnostics/codes.js';
import type { Verdict } from './verdicts.js';

/**
 * Where our verdict and Polyaxon's (the pinned package's `polyaxon check`) differ on purpose:
 * the one reviewed table the differential test reads and the README shows. Every entry names
 * the corpus files it covers, or the mutations of generated pipelines it explains together with
 * a small witness file; the test fails when a disagreement is not here, and when an entry no
 * longer disagrees.
 *
 * `kind`: `stricter` — we refuse on purpose, because Argo, Kubernetes or the run would fail, or
 * the file is ambiguous; `2.18, not yet` — Polyaxon 2.18 accepts (or refuses) a form we do not
 * follow yet; `limitation` — what JavaScript cannot tell apart.
 */
export interface DeliberateDifference {
  /** What differs, as the README table's first column says it. */
  case: string;
  /** Corpus files (repository paths, as test/polyaxon/corpora.ts names them). */
  files?: string[];
  /** Generated pipelines: the mutations (mutations.ts) it explains (`*`: any)… */
  mutations?: string[] | '*';
  /** …acting where this matches (the mutated path, indexes written `[]`). */
  at?: RegExp;
  /** A small Polyaxonfile that differs this way (needed with `mutations`, checked every run). */
  witness?: string;
  polyaxon: Verdict;
  ours: Verdict;
  /** When we refuse: one of our errors has one of these codes. */
  codes?: DiagnosticCode[];
  /** When we refuse: one of our errors says this. */
  oursSay?: RegExp;
  /** When Polyaxon refuses: its message holds this (or matches it). */
  polyaxonSays?: string | RegExp;
  kind: 'stricter' | '2.18, not yet' | 'limitation';
  why: string;
}

const JOB = 'run: {kind: job, container: {image: busybox}}';

export const DELIBERATE_DIFFERENCES: DeliberateDifference[] = [
  // ---- Polyaxon 2.18's new authoring model, not read yet -------------------------------------
  {
    case: 'a file without `kind`',
    files: ['fixtures/invalid/missing-kind.yaml'],
    mutations: ['kind:drop'],
    witness: `version: 1.1\n${JOB}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['missing-kind'],
    kind: '2.18, not yet',
    why: 'Polyaxon 2.18 reads a kind-less file as an operation and a component in one. We need `kind: component` or `kind: operation` (what every Polyaxon before 2.18 needs).',
  },
  {
    case: 'component fields on an operation, operation fields on a component',
    files: ['fixtures/polyaxon/typing/untyped_params.yml', 'fixtures/invalid/unknown-field-top.yaml'],
    mutations: ['kind:swap'],
    witness: `version: 1.1\nkind: operation\n${JOB}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['unknown-field', 'missing-field', 'reference-count'],
    kind: '2.18, not yet',
    why: 'Polyaxon 2.18 gives components and operations the same fields (an operation may hold `run`, a component `params`). We keep the 2.16 split: the error says where the field goes (`component:` or `kind: operation`).',
  },
  {
    case: 'root shortcuts (`container`, `cmd`, `env`, `resources`, `ports`, `environment`, `init`, `connections`, `sidecars`, `volumes` at the top) and `strictParams`',
    mutations: ['section:unknown'],
    at: /^(container|cmd|env|resources|ports|environment|init|connections|sidecars|volumes|strictParams)$/,
    witness: `version: 1.1\nkind: component\nstrictParams: true\n${JOB}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['unexpected-section'],
    kind: '2.18, not yet',
    why: 'New in Polyaxon 2.18 (shortcuts patch the main container; `strictParams` refuses undeclared params). We refuse them as unexpected sections until lowering maps them.',
  },
  {
    case: 'a param no input or output declares',
    files: [
      'fixtures/invalid/unexpected-param.yaml',
      'fixtures/external/files/polyaxon-examples__in_cluster_build_image_build-pytorch__1.yaml',
    ],
    mutations: '*',
    witness: `version: 1.1\nkind: operation\nparams: {extra: 1}\ncomponent: {${JOB}}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['unexpected-param'],
    kind: '2.18, not yet',
    why: 'Polyaxon 2.18 makes an undeclared param a context value (usable as `{{ name }}`) unless `strictParams: true`. We still refuse it, as 2.16 did: a misspelt param name is a more common mistake than a context value.',
  },
  {
    case: 'a reference to a `kind: operation` file',
    files: ['fixtures/invalid/reference-not-component.yaml'],
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['reference-not-component'],
    kind: '2.18, not yet',
    why: 'Polyaxon 2.18 layers a referenced operation (its params and settings) under the referencing one; before 2.18 a reference had to be a component, as we still require.',
  },

  // ---- stricter on purpose ---------------------------------------------------------------------
  {
    case: 'snake_case keys in Polyaxon objects (`is_optional`, `dag_ref`, `max_retries`…)',
    files: ['fixtures/invalid/unknown-field-nested.yaml'],
    mutations: ['field:snake-case'],
    witness: `version: 1.1\nkind: component\ninputs: [{name: lr, type: float, is_optional: true}]\n${JOB}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['unknown-field'],
    kind: 'stricter',
    why: "Polyaxon's models take both spellings; its documentation and every example use camelCase. We refuse snake_case with a did-you-mean, so one spelling reaches review (Kubernetes objects accept both, as Kubernetes' clients do).",
  },
  {
    case: 'duplicate YAML keys',
    files: ['fixtures/invalid/duplicate-key.yaml'],
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['duplicate-key'],
    kind: 'stricter',
    why: 'PyYAML silently keeps the last value; a repeated key is almost always a mistake.',
  },
  {
    case: 'an input or output declared twice',
    files: [
      'fixtures/invalid/duplicate-io.yaml',
      'fixtures/external/files/polyaxon-examples__in_cluster_sklearn_digits_polyaxonfile__1.yaml',
    ],
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['duplicate-io'],
    kind: 'stricter',
    why: 'Polyaxon keeps one of them silently; which value the job gets is then a guess, and Argo refuses two parameters of one name.',
  },
  {
    case: 'an integer a JavaScript number cannot hold exactly',
    files: ['fixtures/invalid/imprecise-number.yaml'],
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['imprecise-number'],
    kind: 'stricter',
    why: 'PyYAML keeps big integers exactly; we would round them on the way to Argo, so we refuse instead (quote it to keep it as text).',
  },
  {
    case: 'Kubernetes objects: types, unknown fields, quantities, names (containers, resources, volume mounts, env and `toEnv` names, affinity, securityContext)',
    files: [
      'fixtures/invalid/affinity-misspelled.yaml',
      'fixtures/invalid/invalid-resource-quantity.yaml',
      'fixtures/invalid/too-long-name.yaml',
      'fixtures/external/files/gmrukwa-polyaxon-python-template__polyaxon_jobs_minimal__1.yaml',
      'fixtures/external/files/polyaxon-quick-start__scheduling_services_notebook__1.yaml',
    ],
    mutations: ['field:retype', 'field:unknown', 'field:drop', 'yaml:scalar'],
    at: /(container|sidecars\[\]|volumes\[\]|resources|volumeMounts|env|affinity|securityContext|tolerations|toEnv)/,
    witness: `version: 1.1\nkind: component\nrun: {kind: job, container: {image: busybox, resources: {limits: {cpu: lots}}}}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['invalid-type', 'unknown-field', 'invalid-value', 'missing-field', 'too-long'],
    kind: 'stricter',
    why: 'Polyaxon 2.18 builds these with the Kubernetes Python client, which checks neither types nor nested fields. The API server (or `argo lint`) refuses them when the run is submitted; we say so at the field.',
  },
  {
    case: '`conditions` that cannot render to true or false',
    files: ['fixtures/invalid/invalid-conditions.yaml'],
    mutations: ['flow:conditions'],
    witness: `version: 1.1\nkind: operation\nconditions: "accuracy > 0.9"\ncomponent: {${JOB}}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['invalid-conditions'],
    kind: 'stricter',
    why: 'Polyaxon renders `conditions` only when the operation is about to run, and fails it then. We check up front.',
  },
  {
    case: 'checks Polyaxon leaves to run time: cron syntax, `toInit` types, IO names, unsafe regexes',
    files: [
      'fixtures/invalid/invalid-cron.yaml',
      'fixtures/invalid/init-needs-type.yaml',
      'fixtures/invalid/init-not-possible.yaml',
      'fixtures/invalid/invalid-io-name.yaml',
      'fixtures/invalid/unsafe-pattern.yaml',
    ],
    mutations: ['yaml:scalar', 'field:retype'],
    at: /((inputs|outputs)\[\]\.name|schedule\.cron)$/,
    witness: `version: 1.1\nkind: component\ninputs: [{name: "0:1", type: int, value: 1}]\n${JOB}\n`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['invalid-value', 'init-needs-type', 'init-not-possible', 'invalid-io-name', 'unsafe-pattern'],
    kind: 'stricter',
    why: 'Each fails only when the operation runs (a schedule that never fires, an init container that cannot be built, an Argo parameter name Argo refuses, a regex that hangs the checker).',
  },
  {
    case: 'a `contextOnly` param reading what does not exist (`ref: dag, value: inputs.X` of an undeclared input, an undeclared output)',
    files: ['fixtures/invalid/context-only-ref-undeclared-output.yaml'],
    mutations: '*',
    witness: `version: 1.1
kind: component
run:
  kind: dag
  operations:
  - name: a
    params: {lr: {ref: dag, value: inputs.lr, contextOnly: true}}
    component: {${JOB}}
`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['unknown-ref-value'],
    kind: 'stricter',
    why: 'Polyaxon does not check the refs of context-only params; the run then gets no value (an empty `{{ name }}`). We check them like any ref.',
  },
  {
    case: 'nested dags checked up front (cycles, unnamed or unknown operations, params)',
    mutations: '*',
    at: /(components\[\]|component)\.run\.(operations|components)/,
    witness: `version: 1.1
kind: component
run:
  kind: dag
  operations:
  - name: outer
    component:
      run:
        kind: dag
        operations:
        - {name: a, dependencies: [b], component: {${JOB}}}
        - {name: b, dependencies: [a], component: {${JOB}}}
`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: [
      'cycle',
      'unnamed-operation',
      'duplicate-operation',
      'no-operations',
      'unknown-operation',
      'unknown-dag-ref',
      'missing-param',
      'unknown-ref-value',
      'invalid-param-value',
      'invalid-ref',
      'invalid-ref-value',
      'ref-type-mismatch',
      'unexpected-param',
      'invalid-default',
      // An operation of a nested dag is kept as a plain mapping until that dag runs.
      'missing-field',
      'invalid-type',
      'unknown-field',
      'invalid-value',
      'missing-value',
    ],
    kind: 'stricter',
    why: '`polyaxon check` validates only the top dag; a nested dag is checked when it starts running, and fails then. We check every dag, at any depth, before anything runs.',
  },
  {
    case: 'a hyper-parameter without a value',
    mutations: ['field:drop', 'field:retype', 'yaml:scalar'],
    at: /matrix\.params\.[^.]+\.value$/,
    witness: `version: 1.1
kind: operation
matrix: {kind: random, numRuns: 2, params: {lr: {kind: uniform}}}
component:
  inputs: [{name: lr, type: float}]
  ${JOB}
`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['invalid-type', 'missing-field'],
    kind: 'stricter',
    why: 'Polyaxon accepts it and fails when the matrix is expanded; we expand matrices before the run, so we need the values.',
  },
  {
    case: 'a count of a matrix (`concurrency`, `maxIterations`, `numRuns`…) written as the text of a number (`"12"`)',
    mutations: ['field:retype'],
    at: /matrix\.(concurrency|maxIterations|numRuns|numInitialRuns|seed|eta)$/,
    witness: `version: 1.1
kind: operation
matrix: {kind: mapping, concurrency: "2", values: [{lr: 0.1}]}
component:
  inputs: [{name: lr, type: float}]
  ${JOB}
`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['invalid-type'],
    kind: 'stricter',
    why: 'pydantic reads such text as the number in some of these fields, and keeps it as text in others, where Polyaxon 2.18 then fails comparing it with 1 (`str < int`). We take a number, or a template.',
  },
  {
    case: 'a whole float (`2.0`, `1.5e+3`) where Polyaxon wants an integer',
    mutations: ['yaml:scalar', 'field:retype'],
    witness: `version: 1.1\nkind: component\ntermination: {maxRetries: 2.0}\n${JOB}\n`,
    polyaxon: 'invalid',
    ours: 'valid',
    // pydantic says so, or (inside a union) shows the float it refused.
    polyaxonSays: /valid integer|[ =:]-?\d+\.0\b/,
    kind: 'limitation',
    why: 'JavaScript has one number type: once read, `2.0` is `2`. Polyaxon (pydantic) refuses a float for a strict integer field; we take it as the integer it equals.',
  },
  {
    case: '`true`/`false` where Polyaxon wants a number',
    mutations: ['field:retype', 'yaml:scalar'],
    witness: `version: 1.1
kind: operation
matrix: {kind: mapping, concurrency: true, values: [{lr: 0.1}]}
component:
  inputs: [{name: lr, type: float}]
  ${JOB}
`,
    polyaxon: 'valid',
    ours: 'invalid',
    codes: ['invalid-type'],
    oursSay: /got the boolean/,
    kind: 'stricter',
    why: 'Python counts `True` as 1 in a lax integer field; `concurrency: true` is a mistake, not a 1.',
  },
];

/** The table as the README shows it (print it with `npx tsx` or from a test when it changes). */
export function markdownTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const where = (d: DeliberateDifference) =>
    [...(d.files ?? []).map((f) => `\`${f.replace(/^fixtures\//, '')}\``), ...(d.mutations ? ['generated'] : [])].join(
      ', ',
    );
  return [
    '| difference | where | Polyaxon 2.18 | polyaxon-argo | kind | why |',
    '|---|---|---|---|---|---|',
    ...DELIBERATE_DIFFERENCES.map(
      (d) =>
        `| ${cell(d.case)} | ${cell(where(d))} | ${d.polyaxon} | ${d.ours}${d.codes ? ` (${d.codes.map((c) => `\`${c}\``).join(', ')})` : ''} | ${d.kind} | ${cell(d.why)} |`,
    ),
  ].join('\n');
}
