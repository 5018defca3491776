import { diagnostic } from '../diagnostics/diagnostic.js';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { locate, type SourceFile } from '../parse/source.js';
import { issuesToDiagnostics, describe } from './issues.js';
import { isPythonFloat } from './primitives-python.js';
import { component, operation, TOP_LEVEL_KEYS, type Component, type Operation } from './polyaxonfile.js';

export const SUPPORTED_VERSION = 1.1;

/**
 * zod can compile each object schema into a function (`new Function`) on first use. Measured on
 * the benchmark's dags, that pays off from about a thousand operations (20,000: about 440 ms
 * instead of 580); below, it is start-up cost (10 operations: 22 ms instead of 14).
 */
export const COMPILE_SCHEMAS_FROM_BYTES = 128 * 1024;

/** A Polyaxonfile that passed the header and schema checks. */
export type Polyaxonfile = { kind: 'component'; spec: Component } | { kind: 'operation'; spec: Operation };

export interface ReadResult {
  file?: Polyaxonfile;
  diagnostics: Diagnostic[];
}

/**
 * Checks a parsed file the way Polyaxon reads it (spec §1.1): the header first (`version`,
 * `kind`, unexpected sections), then the whole document against the component or operation
 * schema, reporting every problem found, each at its place in the file.
 */
export function readPolyaxonfile(source: SourceFile): ReadResult {
  const raw = source.value as Record<string, unknown>;
  const diagnostics: Diagnostic[] = [];
  const at = (key: string, anchor: 'key' | 'value' = 'key') => locate(source, key in raw ? [key] : [], anchor);

  // Polyaxon 2.18 no longer requires `version` nor checks its value (a lax float, like any
  // other number field); earlier versions accepted only 1.1, which is worth a warning.
  if ('version' in raw && raw.version !== null && !isPythonFloat(raw.version)) {
    diagnostics.push(
      diagnostic({
        code: 'invalid-version',
        message: `\`version\` must be a number, got ${describe(raw.version)}`,
        location: at('version', 'value'),
        field: 'version',
        hint: `write \`version: ${SUPPORTED_VERSION}\`, or leave it out`,
      }),
    );
  } else if ('version' in raw && raw.version !== SUPPORTED_VERSION && raw.version !== null) {
    diagnostics.push(
      diagnostic({
        code: 'unsupported-version',
        message: `Polyaxon before 2.18 reads only \`version: ${SUPPORTED_VERSION}\` and would refuse ${describe(raw.version)}; 2.18 ignores the version`,
        location: at('version', 'value'),
        field: 'version',
        hint: `write \`version: ${SUPPORTED_VERSION}\` (or leave it out) if older Polyaxon versions read this file too`,
      }),
    );
  }

  const kind = raw.kind;
  if (kind === undefined) {
    diagnostics.push(
      diagnostic({
        code: 'missing-kind',
        message: 'the Polyaxonfile `kind` must be specified',
        location: at('kind'),
        field: 'kind',
        hint: 'add `kind: component` (a reusable definition) or `kind: operation` (a run of one)',
      }),
    );
  } else if (kind !== 'component' && kind !== 'operation') {
    const guess = typeof kind === 'string' ? suggest(kind, ['component', 'operation']) : undefined;
    diagnostics.push(
      diagnostic({
        code: 'invalid-kind',
        message: `\`kind\` must be \`component\` or \`operation\`, got ${describe(kind)}`,
        location: at('kind', 'value'),
        field: 'kind',
        ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
      }),
    );
  }

  for (const key of Object.keys(raw)) {
    if (TOP_LEVEL_KEYS.has(key)) continue;
    const guess = suggest(key, TOP_LEVEL_KEYS);
    diagnostics.push(
      diagnostic({
        code: 'unexpected-section',
        message: `unexpected section \`${key}\` in a Polyaxonfile`,
        location: locate(source, [key]),
        field: key,
        ...(guess ? { hint: `did you mean \`${guess}\`?` } : {}),
      }),
    );
  }

  if (kind !== 'component' && kind !== 'operation') return { diagnostics };
  const schema: z.ZodType = kind === 'component' ? component : operation;
  // Keys the header checks already reported (unexpected sections, a bad version) are not reported again.
  const reported = new Set(diagnostics.map((d) => d.field));
  const result = schema.safeParse(raw, { jitless: source.text.length < COMPILE_SCHEMAS_FROM_BYTES });
  if (!result.success) {
    const schemaDiagnostics = issuesToDiagnostics(result.error.issues, source)
      .filter((d) => !reported.has(d.field))
      .map((d) =>
        d.code === 'unknown-field' && !d.field?.includes('.') && !d.field?.includes('[') ? withKindHint(d, kind) : d,
      );
    diagnostics.push(...schemaDiagnostics);
  }
  if (diagnostics.some((d) => d.severity === 'error') || !result.success) return { diagnostics };
  return {
    file: kind === 'component' ? { kind, spec: result.data as Component } : { kind, spec: result.data as Operation },
    diagnostics,
  };
}

const OPERATION_ONLY = new Set([
  'params',
  'hubRef',
  'dagRef',
  'urlRef',
  'pathRef',
  'component',
  'patchStrategy',
  'isPreset',
  'runPatch',
  'schedule',
  'events',
  'matrix',
  'joins',
  'dependencies',
  'trigger',
  'conditions',
  'skipOnUpstreamSkip',
]);
const COMPONENT_ONLY = new Set(['inputs', 'outputs', 'run']);

/** A top-level key that belongs to the other kind gets a hint saying how to restructure. */
function withKindHint(diagnostic: Diagnostic, kind: 'component' | 'operation'): Diagnostic {
  const key = diagnostic.field ?? '';
  if (kind === 'component' && OPERATION_ONLY.has(key)) {
    return {
      ...diagnostic,
      message: `\`${key}\` is an operation field, not allowed on a \`kind: component\``,
      hint: 'use `kind: operation` with the component under `component:` (or referenced by `pathRef`/`hubRef`), and put this field on the operation',
    };
  }
  if (kind === 'operation' && COMPONENT_ONLY.has(key)) {
    return {
      ...diagnostic,
      message: `\`${key}\` is a component field, not allowed on a \`kind: operation\``,
      hint: `move \`${key}\` under \`component:\` (an inline component), or use \`kind: component\``,
    };
  }
  return diagnostic;
}
