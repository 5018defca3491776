/**
 * Every diagnostic code, its severity and what it means: the one registry the code, the README's
 * table (generated from it: `npm run docs`) and the tests use. A code not listed here does not
 * type-check, so the set is closed, as the `yaml` package's `ErrorCode` is.
 *
 * `group` orders the README table by the stage that reports the code.
 */

export type Severity = 'error' | 'warning';

export interface CodeInfo {
  readonly severity: Severity;
  readonly group: CodeGroup;
  /** One line: what the problem is. */
  readonly meaning: string;
}

export const CODE_GROUPS = {
  cli: 'the command line (with `--format json`, usage errors are diagnostics too)',
  file: 'the file: reading it as one YAML 1.1 mapping, and the input limits',
  header: 'the header',
  schema: 'the schema: every field of every Polyaxon object',
  reference: 'component references',
  graph: 'the dag graph',
  io: 'component inputs and outputs',
  params: "params against the component's inputs and outputs",
  flow: 'init, conditions, matrix, joins, schedules',
  argo: 'what Argo cannot express or would refuse when the workflow runs',
  transpile: 'warnings about the generated manifest',
} as const;
export type CodeGroup = keyof typeof CODE_GROUPS;

const error = (group: CodeGroup, meaning: string): CodeInfo => ({ severity: 'error', group, meaning });
const warning = (group: CodeGroup, meaning: string): CodeInfo => ({ severity: 'warning', group, meaning });

export const CODES = {
  'invalid-command-line': error('cli', 'an unknown command or option, or a missing or malformed argument (exit 2)'),

  'unreadable-file': error(
    'file',
    'the file cannot be read (missing, a folder, not a regular file, over the size cap, not UTF-8)',
  ),
  'empty-file': error('file', 'the file holds no document'),
  'yaml-syntax': error('file', 'the text is not valid YAML or JSON'),
  'yaml-warning': warning('file', 'the YAML parser accepted something it warns about'),
  'duplicate-key': error('file', 'a mapping repeats a key (PyYAML would silently keep the last one)'),
  'multiple-documents': error('file', 'the file holds more than one YAML document'),
  'not-a-mapping': error('file', 'the document is not a mapping'),
  'too-deep': error('file', 'mappings and lists nest deeper than 128 levels'),
  'too-long': error('file', 'a value or key is over 256 KiB, a name over 253 characters, or aliases expand too much'),
  'reserved-key': error('file', 'a key names a JavaScript prototype (`__proto__`, `constructor`)'),
  'imprecise-number': error('file', 'an integer too large to keep its exact value'),

  'invalid-version': error('header', '`version` is not a number'),
  'unsupported-version': warning(
    'header',
    '`version` is not 1.1: Polyaxon 2.18 ignores it, earlier versions refuse it',
  ),
  'missing-kind': error('header', '`kind` is missing'),
  'invalid-kind': error('header', '`kind` is not `component` or `operation`'),
  'unexpected-section': error('header', 'a top-level key Polyaxon does not know'),

  'unknown-field': error('schema', 'a field Polyaxon does not know (with a did-you-mean)'),
  'missing-field': error('schema', 'a required field is missing'),
  'invalid-type': error('schema', 'a field has the wrong type'),
  'invalid-value': error('schema', 'a field has a value outside what it accepts'),

  'reference-count': error('reference', 'an operation needs exactly one of hubRef, dagRef, urlRef, pathRef, component'),
  'dag-ref-outside-dag': error('reference', '`dagRef` used outside a dag'),
  'unknown-dag-ref': error('reference', "`dagRef` names a component the dag's `components` does not define"),
  'unresolved-reference': error('reference', 'a pathRef, hubRef or urlRef could not be read'),
  'invalid-reference': error('reference', 'the referenced file is not a valid Polyaxonfile'),
  'reference-not-component': error('reference', 'the referenced file is not a `kind: component`'),
  'reference-cycle': error('reference', 'a file references itself, directly or through others'),
  'templated-dag': error('reference', "a dag's `operations` or `components` given as a template"),

  'unnamed-operation': error('graph', 'a dag operation has no `name`'),
  'duplicate-operation': error('graph', 'two dag operations share a name'),
  'no-operations': error('graph', 'a dag has no operations'),
  'unnamed-component': error('graph', 'a dag component has no `name`'),
  'duplicate-component': error('graph', 'two dag components share a name'),
  'unknown-operation': error('graph', 'a dependency, ref or event names no operation of the dag'),
  cycle: error('graph', 'the dag has a cycle (printed as its path)'),
  'event-ref-without-ops': warning('graph', 'an event `ref` without `ops.` creates no edge'),

  'reserved-io-name': error('io', 'an input or output is named `globals`, `params` or `connections`'),
  'invalid-io-name': error('io', 'an input or output name is not a valid identifier'),
  'duplicate-io': error('io', 'two inputs or outputs share a name'),
  'invalid-flag': error('io', '`isFlag` on a type other than `bool`'),
  'required-with-default': error('io', '`isOptional: false` with a default `value`'),
  'invalid-default': error('io', 'a default `value` that does not fit the type or the validation'),
  'unsafe-pattern': error('io', '`validation.regex` that is invalid or cannot be matched in linear time'),
  'init-needs-type': error('io', '`toInit` without a `type`'),
  'init-not-possible': error('io', '`toInit` on a type that cannot become an init container'),

  'unexpected-param': error('params', 'a param the component has no input or output for'),
  'invalid-param-value': error('params', "a literal value that does not fit the input's type or validation"),
  'missing-value': error('params', 'a required input given `null`'),
  'missing-param': error('params', 'a required input without a param'),
  'ref-needs-value': error('params', '`ref` without a string `value`'),
  'invalid-ref': error('params', '`ref` is not `ops.NAME`, `runs.UUID` or `dag`'),
  'invalid-ref-value': error('params', "a ref's `value` is not something a reference can read"),
  'ref-outside-dag': error('params', '`ref: ops.X` or `ref: dag` outside a dag'),
  'ref-on-output': error('params', 'an output given a value from another operation'),
  'unknown-ref-value': error('params', 'the referenced operation or dag has no such input, output or global'),
  'ref-type-mismatch': error('params', "the referenced value's type differs from the input's"),

  'multiple-init-handlers': error('flow', 'an init item with more than one handler'),
  'git-without-source': error('flow', 'a git init item with neither `url` nor `connection`'),
  'invalid-conditions': error('flow', '`conditions` that would not render to true or false'),
  'distribution-in-grid': error('flow', 'a distribution in a grid matrix'),
  'distribution-in-bayes': error('flow', 'a non-uniform distribution in a bayes matrix'),
  'matrix-type-mismatch': error('flow', 'a range-like matrix param on an input that is not a number'),
  'join-needs-list': error('flow', 'a join param on an input that is not a list'),
  'empty-matrix': error('flow', 'a matrix that produces no runs'),
  'matrix-too-large': error('flow', 'a matrix with more runs than a workflow can hold'),
  'invalid-schedule': error('flow', 'a cron, interval or date a schedule cannot run on'),

  'not-supported-by-argo': error(
    'argo',
    'a Polyaxon field Argo cannot express; the message says what to write instead',
  ),
  'untranslatable-template': error('argo', 'Jinja that cannot be translated to Argo'),
  'unknown-connection': error('argo', 'a connection missing from the connections catalog'),
  'duplicate-connection': error('argo', 'the connections catalog defines a name twice'),
  'unnamed-sidecar': error('argo', 'a sidecar without `name`'),
  'reserved-container-name': error('argo', 'a sidecar or init container named like one Argo or we generate'),
  'reserved-name': error('argo', 'a volume, env var or label that would collide with one we generate'),
  'invalid-name': error('argo', 'a name Kubernetes or Argo would refuse (DNS-1123, length, characters)'),
  'invalid-label': error('argo', 'a label key or value Kubernetes would refuse'),
  'invalid-quantity': error(
    'argo',
    'a resource quantity Kubernetes would refuse (syntax, negative, request above limit)',
  ),
  'invalid-port': error('argo', 'a port outside 1-65535'),
  'annotation-too-large': error('argo', "annotations over Kubernetes' 256 KiB"),

  'watcher-only-early-stopping': warning(
    'transpile',
    'an early-stopping policy only the GitHub Action watcher enforces',
  ),
  'manifest-size': warning('transpile', 'the manifest approaches or exceeds what one etcd object holds'),
  'run-status-size': warning(
    'transpile',
    'a run will hold more node statuses than Argo keeps uncompressed, or more than it can keep at all',
  ),
  'pod-annotations-size': warning('transpile', "a run's pods will carry more than Kubernetes' 256 KiB of annotations"),
  'run-name-too-long': warning(
    'transpile',
    "a name Argo or an operator extends at run time will pass Kubernetes' 63 characters (Argo's 52 for a CronWorkflow)",
  ),
  'cluster-refused': error(
    'argo',
    'the cluster refuses the manifest in a server-side dry run (CRD schema, admission, quota, namespace)',
  ),
  'missing-service-account': error('argo', 'a service account the pods run as does not exist in the namespace'),
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;

export const severityOf = (code: DiagnosticCode): Severity => CODES[code].severity;
