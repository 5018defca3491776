import { stringify } from 'yaml';

/**
 * Small edits of a valid Polyaxonfile, each aimed at one rule, for the differential test: both
 * judges read the mutant and must agree. A mutation edits the parsed value in place and returns
 * where it acted (its path), or `undefined` when the file has nothing it applies to. `raw` texts
 * replace placeholders after serialising, for scalars only their unquoted spelling can write.
 */

export type Json = null | boolean | number | string | Date | Json[] | { [key: string]: Json };
type Doc = { [key: string]: Json };
export type Path = (string | number)[];

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

interface Applied {
  at: Path;
  /** Placeholder → unquoted YAML text. */
  raw?: Record<string, string>;
  /** Text to put before the document. */
  prefix?: string;
}

export interface Mutation {
  name: string;
  /** What it does, for reports. */
  does: string;
  apply(doc: Doc, r: Rng): Applied | undefined;
}

const isMap = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** Every mapping (with its path) and every scalar leaf (with its parent and key) of the document. */
function walk(doc: Json) {
  const maps: { path: Path; map: Doc }[] = [];
  const leaves: { path: Path; parent: Doc | Json[]; key: string | number; value: Json }[] = [];
  const visit = (value: Json, path: Path) => {
    if (isMap(value)) {
      maps.push({ path, map: value });
      for (const [k, v] of Object.entries(value)) {
        if (isMap(v) || Array.isArray(v)) visit(v, [...path, k]);
        else leaves.push({ path: [...path, k], parent: value, key: k, value: v });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (isMap(v) || Array.isArray(v)) visit(v, [...path, i]);
        else leaves.push({ path: [...path, i], parent: value, key: i, value: v });
      });
    }
  };
  visit(doc, []);
  return { maps, leaves };
}

/** Every operation of the file: the top one (a `kind: operation` file) and each dag operation, at any depth. */
function operations(doc: Doc): { path: Path; op: Doc; siblings?: Json[] }[] {
  const found: { path: Path; op: Doc; siblings?: Json[] }[] = [];
  if (doc.kind === 'operation') found.push({ path: [], op: doc });
  for (const { path, map } of walk(doc).maps) {
    if (map.kind === 'dag' && Array.isArray(map.operations))
      map.operations.forEach((op, i) => {
        if (isMap(op)) found.push({ path: [...path, 'operations', i], op, siblings: map.operations as Json[] });
      });
  }
  return found;
}

/** Every dag runtime with at least `n` operations. */
function dags(doc: Doc, n: number): { path: Path; dag: Doc; ops: Doc[] }[] {
  return walk(doc)
    .maps.filter(({ map }) => map.kind === 'dag' && Array.isArray(map.operations) && map.operations.length >= n)
    .map(({ path, map }) => ({ path, dag: map, ops: (map.operations as Json[]).filter(isMap) }))
    .filter((d) => d.ops.length >= n);
}

/** Every component input and output. */
function ios(doc: Doc): { path: Path; io: Doc }[] {
  const found: { path: Path; io: Doc }[] = [];
  for (const { path, map } of walk(doc).maps)
    for (const section of ['inputs', 'outputs'])
      if (Array.isArray(map[section]) && (map.run !== undefined || path.length === 0))
        map[section].forEach((io, i) => {
          if (isMap(io)) found.push({ path: [...path, section, i], io });
        });
  return found;
}

function params(doc: Doc): { path: Path; params: Doc; name: string }[] {
  return operations(doc).flatMap(({ path, op }) =>
    isMap(op.params)
      ? Object.keys(op.params).map((name) => ({ path: [...path, 'params'], params: op.params as Doc, name }))
      : [],
  );
}

const OTHER_VALUES: Json[] = [0, 7, -1, 1.5, true, false, 'text', '', '12', '{{ lr }}', [], ['a'], {}, { a: 1 }, null];
const RAW_SCALARS = [
  '1e3',
  '1e-3',
  '1.5e3',
  '1.5e+3',
  '08',
  '0:1',
  '1:30',
  '0x1F',
  '0o17',
  '.5',
  '-.5',
  '1_000',
  'yes',
  'off',
  'y',
  'n',
  '~',
  '2021-01-01',
  '2021-1-1',
];
const IO_TYPES = [
  'int',
  'float',
  'str',
  'bool',
  'dict',
  'list',
  'path',
  'image',
  'uri',
  's3',
  'git',
  'artifacts',
  'metric',
  'date',
  'datetime',
  'uuid',
  'email',
  'any',
  'foo',
];
const TRIGGERS = [
  'all_succeeded',
  'all_failed',
  'all_done',
  'one_succeeded',
  'one_failed',
  'one_done',
  'sometimes',
  '{{ trigger }}',
];

const pickLeaf = (doc: Doc, r: Rng, filter: (value: Json, path: Path) => boolean = () => true) => {
  const leaves = walk(doc).leaves.filter(
    (l) => l.path.length > 0 && l.path[0] !== 'version' && l.path[0] !== 'kind' && filter(l.value, l.path),
  );
  return leaves.length ? r.pick(leaves) : undefined;
};

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const MUTATIONS: Mutation[] = [
  {
    name: 'version:drop',
    does: 'removes `version`',
    apply: (doc) => ('version' in doc ? (delete doc.version, { at: ['version'] }) : undefined),
  },
  {
    name: 'version:change',
    does: 'sets `version` to another value (1, 2, 0.4, "1.1", "abc", true, null)',
    apply: (doc, r) => (
      (doc.version = r.pick<Json>([1, 1.0, 2, 0.4, 1.2, '1.1', 'abc', true, null])),
      { at: ['version'] }
    ),
  },
  { name: 'kind:drop', does: 'removes `kind`', apply: (doc) => (delete doc.kind, { at: ['kind'] }) },
  {
    name: 'kind:swap',
    does: 'turns a component into an operation and back',
    apply: (doc) => ((doc.kind = doc.kind === 'component' ? 'operation' : 'component'), { at: ['kind'] }),
  },
  {
    name: 'section:unknown',
    does: 'adds a top-level key Polyaxon does not know',
    apply: (doc, r) => {
      const key = r.pick(['extraSection', 'environment', 'container', 'ports', 'strictParams', 'contexts']);
      doc[key] =
        key === 'strictParams' ? true : key === 'ports' ? [8000] : key === 'container' ? { image: 'busybox' } : {};
      return { at: [key] };
    },
  },
  {
    name: 'field:unknown',
    does: 'adds an unknown key to a mapping',
    apply: (doc, r) => {
      const maps = walk(doc).maps.filter((m) => m.path.length > 0);
      if (!maps.length) return undefined;
      const { path, map } = r.pick(maps);
      map.extraField = 'x';
      return { at: [...path, 'extraField'] };
    },
  },
  {
    name: 'field:drop',
    does: 'removes a key from a mapping',
    apply: (doc, r) => {
      const keys = walk(doc).maps.flatMap(({ path, map }) =>
        Object.keys(map)
          .filter((k) => path.length > 0 || (k !== 'version' && k !== 'kind'))
          .map((k) => ({ path, map, k })),
      );
      if (!keys.length) return undefined;
      const { path, map, k } = r.pick(keys);
      delete map[k];
      return { at: [...path, k] };
    },
  },
  {
    name: 'field:retype',
    does: 'replaces a value with one of another type',
    apply: (doc, r) => {
      const leaf = pickLeaf(doc, r);
      if (!leaf) return undefined;
      const other = r.pick(OTHER_VALUES.filter((v) => typeof v !== typeof leaf.value));
      (leaf.parent as Record<string | number, Json>)[leaf.key] = structuredClone(other);
      return { at: leaf.path };
    },
  },
  {
    name: 'field:snake-case',
    does: 'writes a camelCase key in snake_case',
    apply: (doc, r) => {
      const keys = walk(doc).maps.flatMap(({ path, map }) =>
        Object.keys(map)
          .filter((k) => /[a-z][A-Z]/.test(k))
          .map((k) => ({ path, map, k })),
      );
      if (!keys.length) return undefined;
      const { path, map, k } = r.pick(keys);
      const entries = Object.entries(map).map(([key, v]) => [key === k ? snake(k) : key, v] as const);
      for (const key of Object.keys(map)) delete map[key];
      Object.assign(map, Object.fromEntries(entries));
      return { at: [...path, snake(k)] };
    },
  },
  {
    name: 'yaml:directive',
    does: 'adds a `%YAML 1.2` directive',
    apply: () => ({ at: [], prefix: '%YAML 1.2\n---\n' }),
  },
  {
    name: 'yaml:scalar',
    does: 'writes a number or string leaf as a scalar YAML 1.1 readers disagree on (1e3, 08, 0:1, y, …)',
    apply: (doc, r) => {
      const leaf = pickLeaf(doc, r, (v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean');
      if (!leaf) return undefined;
      const marker = `__raw_${r.int(1e9)}__`;
      (leaf.parent as Record<string | number, Json>)[leaf.key] = marker;
      return { at: leaf.path, raw: { [marker]: r.pick(RAW_SCALARS) } };
    },
  },
  {
    name: 'dag:unknown-dependency',
    does: 'makes an operation depend on one that does not exist',
    apply: (doc, r) => {
      const ops = operations(doc).filter((o) => o.siblings);
      if (!ops.length) return undefined;
      const { path, op } = r.pick(ops);
      op.dependencies = [...(Array.isArray(op.dependencies) ? op.dependencies : []), 'no-such-op'];
      return { at: [...path, 'dependencies'] };
    },
  },
  {
    name: 'dag:cycle',
    does: 'makes two operations depend on each other',
    apply: (doc, r) => {
      const candidates = dags(doc, 2).filter((d) => d.ops.every((o) => typeof o.name === 'string'));
      if (!candidates.length) return undefined;
      const { path, ops } = r.pick(candidates);
      const a = r.int(ops.length);
      const b = (a + 1 + r.int(ops.length - 1)) % ops.length;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const deps = Array.isArray(ops[x]!.dependencies) ? ops[x]!.dependencies : [];
        ops[x]!.dependencies = [...deps, ops[y]!.name as string];
      }
      return { at: [...path, 'operations', a, 'dependencies'] };
    },
  },
  {
    name: 'dag:duplicate-name',
    does: 'gives an operation the name of another',
    apply: (doc, r) => {
      const candidates = dags(doc, 2);
      if (!candidates.length) return undefined;
      const { path, ops } = r.pick(candidates);
      const a = r.int(ops.length);
      const b = (a + 1 + r.int(ops.length - 1)) % ops.length;
      ops[a]!.name = ops[b]!.name ?? 'same';
      ops[b]!.name = ops[a]!.name;
      return { at: [...path, 'operations', a, 'name'] };
    },
  },
  {
    name: 'dag:drop-name',
    does: 'removes the name of a dag operation',
    apply: (doc, r) => {
      const ops = operations(doc).filter((o) => o.siblings && 'name' in o.op);
      if (!ops.length) return undefined;
      const { path, op } = r.pick(ops);
      delete op.name;
      return { at: [...path, 'name'] };
    },
  },
  {
    name: 'dag:no-operations',
    does: "empties a dag's operations",
    apply: (doc, r) => {
      const candidates = dags(doc, 1);
      if (!candidates.length) return undefined;
      const { path, dag } = r.pick(candidates);
      dag.operations = [];
      return { at: [...path, 'operations'] };
    },
  },
  {
    name: 'dag:unknown-dag-ref',
    does: 'points a dag operation at a component the dag does not define',
    apply: (doc, r) => {
      const ops = operations(doc).filter((o) => o.siblings);
      if (!ops.length) return undefined;
      const { path, op } = r.pick(ops);
      for (const ref of ['component', 'hubRef', 'pathRef', 'urlRef']) delete op[ref];
      op.dagRef = 'no-such-component';
      return { at: [...path, 'dagRef'] };
    },
  },
  {
    name: 'param:drop',
    does: 'removes a param',
    apply: (doc, r) => {
      const all = params(doc);
      if (!all.length) return undefined;
      const { path, params: map, name } = r.pick(all);
      delete map[name];
      return { at: [...path, name] };
    },
  },
  {
    name: 'param:extra',
    does: 'adds a param no input or output declares',
    apply: (doc, r) => {
      const ops = operations(doc);
      if (!ops.length) return undefined;
      const { path, op } = r.pick(ops);
      const value = r.pick<Json>([
        { value: 1 },
        { value: 'x', contextOnly: true },
        'short',
        { value: 1, contextOnly: false },
      ]);
      op.params = { ...(isMap(op.params) ? op.params : {}), extra_param: value };
      return { at: [...path, 'params', 'extra_param'] };
    },
  },
  {
    name: 'param:retype',
    does: 'gives a param a value of another type (numbers as text, lists, mappings, templates…)',
    apply: (doc, r) => {
      const all = params(doc);
      if (!all.length) return undefined;
      const { path, params: map, name } = r.pick(all);
      const current = map[name];
      const value = r.pick<Json>([
        ...OTHER_VALUES,
        '1.5',
        'true',
        'yes',
        '[1, 2]',
        '{"a": 1}',
        'busybox:1.36',
        's3://bucket/key',
        '1e3',
      ]);
      if (isMap(current) && 'value' in current && !('ref' in current)) current.value = structuredClone(value);
      else map[name] = structuredClone(value);
      return { at: [...path, name] };
    },
  },
  {
    name: 'param:ref-unknown',
    does: 'makes a param read an operation, output or dag input that does not exist',
    apply: (doc, r) => {
      const all = params(doc).filter((p) => p.path.length > 1);
      if (!all.length) return undefined;
      const { path, params: map, name } = r.pick(all);
      map[name] = r.pick<Json>([
        { ref: 'ops.no-such-op', value: 'outputs.x' },
        { ref: 'dag', value: 'inputs.no_such_input' },
        { ref: 'dag', value: 'globals.no_such_global' },
        { ref: 'ops.x', value: 'outputs' },
        { ref: 'runs.1234', value: 'outputs.x' },
      ]);
      return { at: [...path, name] };
    },
  },
  {
    name: 'io:type',
    does: "changes an input's or output's type",
    apply: (doc, r) => {
      const all = ios(doc);
      if (!all.length) return undefined;
      const { path, io } = r.pick(all);
      io.type = r.pick(IO_TYPES);
      return { at: [...path, 'type'] };
    },
  },
  {
    name: 'io:required',
    does: 'makes an input required (drops its default) or optional',
    apply: (doc, r) => {
      const all = ios(doc);
      if (!all.length) return undefined;
      const { path, io } = r.pick(all);
      if ('value' in io || io.isOptional) {
        delete io.value;
        delete io.isOptional;
      } else io.isOptional = true;
      return { at: path };
    },
  },
  {
    name: 'flow:trigger',
    does: "sets an operation's trigger",
    apply: (doc, r) => {
      const ops = operations(doc);
      if (!ops.length) return undefined;
      const { path, op } = r.pick(ops);
      op.trigger = r.pick(TRIGGERS);
      return { at: [...path, 'trigger'] };
    },
  },
  {
    name: 'flow:conditions',
    does: "sets an operation's conditions",
    apply: (doc, r) => {
      const ops = operations(doc);
      if (!ops.length) return undefined;
      const { path, op } = r.pick(ops);
      op.conditions = r.pick<Json>(['{{ 1 > 0 }}', 'true', true, '{{ x ', 'x > 1', '{{ no_such_param > 1 }}']);
      return { at: [...path, 'conditions'] };
    },
  },
];

/** The mutant's text: the value as YAML 1.1 (strings PyYAML would read otherwise are quoted), raw scalars put back. */
export function serialise(doc: Doc, applied: Applied): string {
  let text = stringify(doc, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 });
  for (const [marker, raw] of Object.entries(applied.raw ?? {})) text = text.replace(marker, raw);
  return (applied.prefix ?? '') + text;
}

/** `run.operations[2].params.lr` with indexes dropped: `run.operations[].params.lr`. */
export function generalise(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? '[]' : `.${p}`))
    .join('')
    .replace(/^\./, '');
}
