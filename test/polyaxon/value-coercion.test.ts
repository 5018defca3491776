import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coerce } from '../../src/check/values/coerce.js';
import { startPolyaxonJudge, type PolyaxonJudge } from '../support/polyaxon-judge.js';

/**
 * Literal values against IO types, judged by Polyaxon itself (V1IO's validation): every type
 * name Polyaxon knows, every kind of value a Polyaxonfile can hold, the same verdict.
 * FC_SEED replays a run.
 */

const TYPES = [
  'int',
  'float',
  'bool',
  'str',
  'dict',
  'list',
  'path',
  'uri',
  's3',
  'gcs',
  'wasb',
  'image',
  'uuid',
  'email',
  'metric',
  'metadata',
  'date',
  'datetime',
  'timedelta',
  'git',
  'dockerfile',
  'artifacts',
  'file',
  'tensorboard',
  'event',
  'any',
  'Any',
  'List[str]',
  'List[int]',
  'Dict[str, int]',
  'Dict',
  'List',
  'StrictInt',
  'StrictFloat',
  'StrictStr',
  'StrictBool',
  'PositiveInt',
  'NonNegativeInt',
  'NegativeFloat',
  'PositiveFloat',
];

const VALUES: unknown[] = [
  0,
  1,
  -1,
  7,
  12.0,
  1.5,
  -0.25,
  1e21,
  86400,
  1609459200,
  true,
  false,
  '',
  ' ',
  '0',
  '1',
  '12',
  ' 12 ',
  '12.0',
  '12.5',
  '1e3',
  '-3',
  '+5',
  '.5',
  '5.',
  '1_000',
  '0o17',
  '0x10',
  'inf',
  'nan',
  'true',
  'false',
  'yes',
  'No',
  'on',
  'T',
  'y',
  'foo',
  'foo bar',
  'python:3.12',
  'registry:5000/python:3.12',
  'a:b:c',
  'https://host/path',
  's3://bucket/key',
  's3://bucket',
  'gs://bucket/blob',
  'gcs://b',
  'wasbs://c@a.blob.core.windows.net/p',
  'user:pass@host:80',
  '/data/in',
  'a@b.co',
  'a@b',
  '123e4567-e89b-12d3-a456-426614174000',
  '123e4567e89b12d3a456426614174000',
  '2021-01-01',
  '2021-01-01T00:00:00',
  '2021-01-01T10:00:00',
  '2021-1-1',
  '10:00:00',
  'PT2M',
  '01:02:03',
  '[1, 2]',
  '["a"]',
  '{"a": 1}',
  '{"url": "https://x"}',
  'null',
  '"quoted"',
  '{{ x }}',
  [],
  [1, 2],
  ['a', 'b'],
  [1, 'a'],
  [['a', 'b']],
  {},
  { a: 1 },
  { a: 'x' },
  { url: 'https://x', revision: 'main' },
  { image: 'busybox' },
  { files: ['a'], dirs: ['b'] },
  { content: 'x' },
  { name: 'python:3.12' },
  { name: 'e', kind: 'metric' },
  { port: 6006 },
  { b: 1.5 },
];

interface Verdict {
  ok: boolean;
  error?: string;
}

let judge: PolyaxonJudge;
beforeAll(async () => {
  judge = await startPolyaxonJudge();
}, 120_000);
afterAll(() => judge.close());

async function expectSameVerdicts(cases: { type: string; value: unknown; isList?: boolean }[]): Promise<void> {
  const theirs = (await judge.ask({ op: 'coerce', cases })).values as Verdict[];
  const mismatches = cases.flatMap((c, i) => {
    const mine = coerce(c.type, c.value, c.isList ?? false);
    return mine.ok === theirs[i]!.ok
      ? []
      : [
          `${c.isList ? 'list of ' : ''}${c.type} ${JSON.stringify(c.value)}: Polyaxon ${theirs[i]!.ok ? 'accepts' : `refuses (${theirs[i]!.error})`}, we ${mine.ok ? 'accept' : `refuse (${mine.reason})`}`,
        ];
  });
  expect(mismatches).toEqual([]);
}

describe('IO values as Polyaxon validates them', () => {
  it('every type against every kind of value', async () => {
    await expectSameVerdicts(TYPES.flatMap((type) => VALUES.map((value) => ({ type, value }))));
  });

  it('lists of each type (isList)', async () => {
    const listValues = [[], [1, 2], ['a'], [1.5], [true], ['1', '2'], '[1, 2]', '["a"]', 'a', 1, [{ a: 1 }], [[1]]];
    await expectSameVerdicts(TYPES.flatMap((type) => listValues.map((value) => ({ type, value, isList: true }))));
  });

  it('generated values (FC_SEED replays a run)', async () => {
    const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.boolean(),
        fc.string({ maxLength: 12 }),
        fc.stringMatching(/^[-+ ]?[0-9._eE:x]{1,8} ?$/),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'url', 'image', 'files', 'content', 'name'), tie('value'), { maxKeys: 2 }),
      ),
    })).value;
    const cases = fc.sample(fc.record({ type: fc.constantFrom(...TYPES), value: json }), {
      numRuns: 3000,
      seed: Number(process.env.FC_SEED ?? 20261202),
    });
    await expectSameVerdicts(cases);
  });
});
