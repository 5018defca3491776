import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/parse-source.js';
import { serveHub, startPolyaxonJudge, type PolyaxonJudge } from '../support/polyaxon-judge.js';
import { seedFrom } from '../support/seed.js';
import { REPO_ROOT } from '../support/paths.js';
import { CORPORA, corpusFiles, HUBS, type Corpus, type CorpusFile } from './corpora.js';
import { DELIBERATE_DIFFERENCES, type DeliberateDifference } from './deliberate-differences.js';
import { generalise, MUTATIONS, rng, serialise, type Json } from './mutations.js';
import { agree, describeVerdicts, judgeBoth, type Verdicts } from './verdicts.js';

/**
 * Polyaxon itself judges our front end: every corpus file, and at least a thousand pipelines
 * made by mutating the valid ones, get our verdict (`validate`: parse, schema, references,
 * checks) and the pinned polyaxon package's (`polyaxon check`). Each disagreement must be one
 * of the reviewed deliberate differences (deliberate-differences.ts, shown in the README), and
 * each of those must still be one.
 *
 * The generated pipelines come from a seed, printed: a fixed one by default, so a run that lands
 * is not decided by a draw; POLYAXON_DIFF_SEED=random explores a fresh one (what to do before
 * changing the rules or the table), POLYAXON_DIFF_SEED=N replays a run, and
 * POLYAXON_DIFF_COUNT=N changes how many (default 1000).
 */

const SEED = seedFrom(process.env.POLYAXON_DIFF_SEED, 271_782_125);
const COUNT = Number(process.env.POLYAXON_DIFF_COUNT ?? 1000);

let judge: PolyaxonJudge;
const hubUrls = new Map<string, string>();
const closers: (() => Promise<void>)[] = [];
const verdicts = new Map<CorpusFile, Verdicts>();
const workDir = mkdtempSync(path.join(tmpdir(), 'polyaxon-differential-'));

beforeAll(async () => {
  judge = await startPolyaxonJudge();
  closers.push(() => judge.close());
  for (const dir of Object.values(HUBS)) {
    const hub = await serveHub(dir);
    hubUrls.set(dir, hub.url);
    closers.push(hub.close);
  }
  for (const file of corpusFiles())
    verdicts.set(file, await judgeBoth(judge, file, file.hubDir ? hubUrls.get(file.hubDir) : undefined));
}, 300_000);

afterAll(async () => {
  for (const close of closers) await close();
});

/** The table entry that explains a disagreement, if any. */
function explain(v: Verdicts, matches: (entry: DeliberateDifference) => boolean): DeliberateDifference | undefined {
  return DELIBERATE_DIFFERENCES.find(
    (entry) =>
      matches(entry) &&
      entry.polyaxon === v.polyaxon &&
      entry.ours === v.ours &&
      (!entry.codes || v.errors.some((d) => entry.codes!.includes(d.code))) &&
      (!entry.oursSay || v.errors.some((d) => entry.oursSay!.test(d.message))) &&
      (!entry.polyaxonSays ||
        (typeof entry.polyaxonSays === 'string'
          ? (v.polyaxonSays ?? '').includes(entry.polyaxonSays)
          : entry.polyaxonSays.test(v.polyaxonSays ?? ''))),
  );
}

describe('Polyaxon and we give the same verdicts', () => {
  for (const corpus of Object.keys(CORPORA) as Corpus[]) {
    it(`on ${CORPORA[corpus]}`, () => {
      const files = [...verdicts].filter(([file]) => file.corpus === corpus);
      const unexplained = files
        .filter(([file, v]) => !agree(v) && !explain(v, (e) => e.files?.includes(file.name) ?? false))
        .map(([file, v]) => `${file.name}\n    ${describeVerdicts(v)}`);
      const agreeing = files.filter(([, v]) => agree(v)).length;
      console.log(`${CORPORA[corpus]}: ${agreeing} of ${files.length} files agree`);
      expect(unexplained, 'disagreements not in test/polyaxon/deliberate-differences.ts').toEqual([]);
    });
  }

  it('on the deliberate differences of the table, each still differing as described', () => {
    const stale = DELIBERATE_DIFFERENCES.flatMap((entry) =>
      (entry.files ?? []).flatMap((name) => {
        const found = [...verdicts].find(([file]) => file.name === name);
        if (!found) return [`${name}: no such corpus file`];
        const [, v] = found;
        return explain(v, (e) => e === entry)
          ? []
          : [`${name} no longer differs as the table says\n    ${describeVerdicts(v)}`];
      }),
    );
    expect(stale).toEqual([]);
  });

  it('on the witness of each deliberate difference of generated pipelines', async () => {
    const stale: string[] = [];
    for (const [index, entry] of DELIBERATE_DIFFERENCES.entries()) {
      if (!entry.witness) continue;
      const file = path.join(workDir, `witness-${index}.yaml`);
      writeFileSync(file, entry.witness);
      const v = await judgeBoth(judge, { file, hubDir: HUBS.pipelines }, hubUrls.get(HUBS.pipelines));
      if (!explain(v, (e) => e === entry))
        stale.push(`${entry.case}: the witness no longer differs as described\n    ${describeVerdicts(v)}`);
    }
    expect(stale).toEqual([]);
  });

  it(`on ${COUNT} pipelines generated from the valid ones (seed ${SEED}; POLYAXON_DIFF_SEED=${SEED} replays)`, async () => {
    console.log(`differential: POLYAXON_DIFF_SEED=${SEED}`);
    const bases = [...verdicts]
      .filter(([file, v]) => v.polyaxon === 'valid' && v.ours === 'valid' && !file.params)
      .map(([file]) => ({
        file,
        value: parseSource(file.name, readFileSync(file.file, 'utf8')).source!.value as Json,
      }));
    expect(bases.length).toBeGreaterThan(150);

    // Mutants are written next to copies of their bases, so pathRefs still resolve.
    const copy = path.join(workDir, 'fixtures');
    cpSync(path.join(REPO_ROOT, 'fixtures'), copy, { recursive: true });
    const r = rng(SEED);
    const draws = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { numRuns: COUNT * 3, seed: SEED });
    const unexplained: string[] = [];
    let generated = 0;
    let agreeing = 0;
    for (const [b, m, s] of draws) {
      if (generated === COUNT) break;
      const base = bases[b % bases.length]!;
      const mutation = MUTATIONS[m % MUTATIONS.length]!;
      const doc = structuredClone(base.value) as Record<string, Json>;
      const applied = mutation.apply(doc, rng(s ^ r.int(2 ** 30)));
      if (!applied) continue;
      const name = `${path.relative(REPO_ROOT, base.file.file)}.${generated}.${mutation.name.replace(/\W/g, '-')}.yaml`;
      const file = path.join(workDir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, serialise(doc, applied));
      generated++;
      const v = await judgeBoth(
        judge,
        { file, ...(base.file.hubDir ? { hubDir: base.file.hubDir } : {}) },
        base.file.hubDir ? hubUrls.get(base.file.hubDir) : undefined,
      );
      if (agree(v)) agreeing++;
      else {
        const at = generalise(applied.at);
        const entry = explain(
          v,
          (e) => (e.mutations === '*' || (e.mutations?.includes(mutation.name) ?? false)) && (!e.at || e.at.test(at)),
        );
        if (!entry) unexplained.push(`${mutation.name} at ${at} (${file})\n    ${describeVerdicts(v)}`);
      }
    }
    console.log(
      `generated pipelines: ${agreeing} of ${generated} agree (${unexplained.length} disagreements not in the table)`,
    );
    expect(generated).toBe(COUNT);
    expect(unexplained, `seed ${SEED}: disagreements not in test/polyaxon/deliberate-differences.ts`).toEqual([]);
  }, 600_000);
});
