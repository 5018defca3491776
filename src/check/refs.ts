import type { IO } from '../schema/io.js';

/**
 * The grammar of param references (spec §5.3, §5.4) and what each reference may read:
 * `ref` names an operation of the dag (`ops.NAME`), an existing run (`runs.UUID`) or the
 * enclosing dag (`dag`); `value` names a section and key of it (`outputs.loss`).
 */

export type ParsedRef = { kind: 'ops'; name: string } | { kind: 'runs'; uuid: string } | { kind: 'dag' };

export function parseRef(ref: string): ParsedRef | { error: string; hint?: string } {
  if (ref === 'dag') return { kind: 'dag' };
  const parts = ref.split('.');
  if (parts.length === 2 && parts[0] === 'ops' && parts[1]) return { kind: 'ops', name: parts[1] };
  if (parts.length === 2 && parts[0] === 'runs' && parts[1]) {
    return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(parts[1])
      ? { kind: 'runs', uuid: parts[1] }
      : { error: `\`${ref}\` is not a valid runs reference: \`${parts[1]}\` is not a UUID` };
  }
  if (parts.length >= 3)
    return { error: `could not parse ref \`${ref}\``, hint: 'use `ops.NAME`, `runs.UUID` or `dag`' };
  if (parts[0] === 'dag')
    return {
      error: `\`${ref}\` is not a valid reference: the enclosing dag is referenced as \`dag\` alone`,
      hint: 'write `ref: dag` and put the field in `value`, e.g. `value: inputs.x`',
    };
  return {
    error: `\`${ref}\` is not a valid reference: it must be \`ops.NAME\`, \`runs.UUID\` or \`dag\``,
    hint: ref.startsWith('op.') || !ref.includes('.') ? `did you mean \`ops.${ref.replace(/^op\./, '')}\`?` : undefined,
  };
}

export interface RefValue {
  section: 'inputs' | 'outputs' | 'io' | 'artifacts' | 'globals';
  key?: string;
  /** True when written as `{{ … }}`: only the grammar is checked, not existence. */
  templated: boolean;
}

/** Parses `value` of a ref param: `outputs.loss`, `{{ inputs.lr }}`, `artifacts.x.y`, `globals.uuid`… */
export function parseRefValue(raw: string, ref: ParsedRef): RefValue | { error: string; hint?: string } {
  // Trimmed and sliced, not matched: a lazy group between optional spaces is cubic on long values.
  const trimmed = raw.trim();
  const templated = trimmed.startsWith('{{') && trimmed.endsWith('}}') && trimmed.length >= 4;
  const text = templated ? trimmed.slice(2, -2).trim() : raw;
  const parts = text.split('.');
  const [section, key] = parts as [string, string | undefined];
  if (parts.length > 3 || parts.some((p) => p === '')) return { error: `could not parse value \`${raw}\`` };
  if (parts.length === 1 && !['inputs', 'outputs', 'io', 'artifacts'].includes(section)) {
    return {
      error: `\`${raw}\` is not a value a reference can read`,
      hint: 'use `inputs`, `outputs`, `io` or `artifacts`, or a single field such as `outputs.NAME`',
    };
  }
  if (parts.length === 2 && !['inputs', 'outputs', 'artifacts', 'globals'].includes(section)) {
    return {
      error: `\`${raw}\` is not a value a reference can read: it must start with \`inputs.\`, \`outputs.\`, \`artifacts.\` or \`globals.\``,
      hint: section === 'output' || section === 'input' ? `did you mean \`${section}s.${key}\`?` : undefined,
    };
  }
  if (parts.length === 3 && section !== 'artifacts')
    return { error: `could not parse value \`${raw}\`: only \`artifacts.\` values have three parts` };
  if (ref.kind === 'dag' && section === 'outputs')
    return {
      error: 'a dag cannot read its own `outputs`',
      hint: 'read an input of the dag (`value: inputs.NAME`) or an output of an operation (`ref: ops.NAME`)',
    };
  return { section: section as RefValue['section'], ...(key !== undefined ? { key } : {}), templated };
}

/** The run-level keys a reference may read under `globals.` (spec §2.3). */
export const GLOBAL_KEYS = new Set([
  'owner_name',
  'project_name',
  'project_unique_name',
  'project_uuid',
  'run_info',
  'name',
  'uuid',
  'status',
  'namespace',
  'iteration',
  'context_path',
  'artifacts_path',
  'created_at',
  'compiled_at',
  'schedule_at',
  'started_at',
  'finished_at',
  'duration',
  'cloning_kind',
  'original_uuid',
  'is_independent',
]);

/** The type a reference reads, for the compatibility check; undefined when not checked. */
export interface RefType {
  type: string | undefined;
  isList: boolean;
  description: string;
}

/**
 * Looks `value` up in what the referenced operation (or dag) exposes. Returns the type read,
 * `undefined` when the value exists but its type is not checked, or an error.
 */
export function lookupRefValue(
  value: RefValue,
  io: { inputs: readonly IO[]; outputs: readonly IO[] },
  refText: string,
): RefType | undefined | { error: string; hint?: string } {
  const { section, key } = value;
  if (key === undefined)
    return {
      type: section === 'inputs' || section === 'outputs' ? 'dict' : 'str',
      isList: false,
      description: `${refText}.${section}`,
    };
  if (section === 'globals') {
    return GLOBAL_KEYS.has(key)
      ? { type: 'str', isList: false, description: `${refText}.globals.${key}` }
      : {
          error: `\`globals.${key}\` is not something a reference can read`,
          hint: `available: ${[...GLOBAL_KEYS].join(', ')}`,
        };
  }
  if (section === 'artifacts') {
    // Lineage can be logged at run time, so any artifacts name is accepted (spec §5.4).
    const declared = [...io.inputs, ...io.outputs].find((i) => i.name === key && i.type === 'artifacts');
    return declared
      ? { type: 'artifacts', isList: Boolean(declared.isList), description: `${refText}.artifacts.${key}` }
      : undefined;
  }
  const list = section === 'inputs' ? io.inputs : io.outputs;
  const found = list.find((i) => i.name === key);
  if (!found) {
    const names = list.map((i) => i.name);
    return {
      error: `\`${refText}\` has no ${section.slice(0, -1)} named \`${key}\``,
      hint: names.length ? `its ${section}: ${names.join(', ')}` : `it declares no ${section}`,
    };
  }
  return { type: found.type, isList: Boolean(found.isList), description: `${refText}.${section}.${key}` };
}

const PATH_LIKE = new Set(['str', 'path', 's3', 'gcs', 'wasb']);

/** Polyaxon's rule (spec §5.4): same type name, or both path-like; `isList` must agree. */
export function compatibleTypes(
  expected: { type?: string | undefined; isList?: boolean | undefined },
  actual: RefType,
): boolean {
  const a = expected.type;
  const b = actual.type;
  const sameType = a === b || (a !== undefined && b !== undefined && PATH_LIKE.has(a) && PATH_LIKE.has(b));
  return sameType && Boolean(expected.isList) === actual.isList;
}
