import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolyaxonfile } from '../src/load.js';
import { readConnectionCatalog } from '../src/lower/connections.js';
import { COMPILE_SCHEMAS_FROM_BYTES } from '../src/schema/read-polyaxonfile.js';
import { REPO_ROOT } from './support/paths.js';

/**
 * Our own corpus. fixtures/invalid/: one rule per file, each ending with the diagnostics it
 * must produce, exactly (no more, no fewer errors):
 *   # expect: LINE:COLUMN CODE "key word" ...          (in this file; `warning:CODE` for warnings)
 *   # expect-in OTHER-FILE: LINE:COLUMN CODE          (in a file it references)
 * fixtures/pipelines/: valid pipelines covering every section of the spec (also golden-tested).
 */

const INVALID = path.join(REPO_ROOT, 'fixtures', 'invalid');
const VALID = path.join(REPO_ROOT, 'fixtures', 'pipelines');

interface Expectation {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: 'error' | 'warning';
  words: string[];
}

function expectations(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split('\n')) {
    const match = /^# expect(?:-in ([^:]+))?: (\d+):(\d+) (warning:)?([a-z-]+)(.*)$/.exec(line);
    if (!match) continue;
    out.push({
      file: match[1] ? `fixtures/invalid/${match[1]}` : file,
      line: Number(match[2]),
      column: Number(match[3]),
      severity: match[4] ? 'warning' : 'error',
      code: match[5]!,
      words: [...match[6]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!),
    });
  }
  return out;
}

const invalidFiles = readdirSync(INVALID)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const validFiles = readdirSync(VALID)
  .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
  .sort();

describe('invalid corpus (fixtures/invalid)', () => {
  it('has at least 40 files, each declaring what it must report', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(40);
    for (const file of invalidFiles)
      expect(expectations(file, readFileSync(path.join(INVALID, file), 'utf8')).length, file).toBeGreaterThan(0);
  });

  for (const file of invalidFiles) {
    it(file, async () => {
      const name = `fixtures/invalid/${file}`;
      const text = readFileSync(path.join(INVALID, file), 'utf8');
      const expected = expectations(name, text);
      const result = await loadPolyaxonfile(name, text, {
        absolutePath: path.join(INVALID, file),
        offline: true,
        cwd: REPO_ROOT,
      });
      expect(result.root).toBeUndefined();
      const actual = result.diagnostics.map(
        (d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.severity} ${d.code}`,
      );
      expect(actual.sort()).toEqual(
        expected.map((e) => `${e.file}:${e.line}:${e.column} ${e.severity} ${e.code}`).sort(),
      );
      for (const e of expected) {
        const diagnostic = result.diagnostics.find(
          (d) =>
            d.location.file === e.file &&
            d.location.line === e.line &&
            d.location.column === e.column &&
            d.code === e.code,
        )!;
        for (const word of e.words) expect(diagnostic.message).toContain(word);
      }
    });
  }

  it('reports the same in a file large enough for zod to compile its schemas', async () => {
    const padding = '# padding to pass the size from which zod compiles its schemas\n'.repeat(
      Math.ceil(COMPILE_SCHEMAS_FROM_BYTES / 60),
    );
    for (const file of invalidFiles) {
      const name = `fixtures/invalid/${file}`;
      const text = readFileSync(path.join(INVALID, file), 'utf8');
      const load = (source: string) =>
        loadPolyaxonfile(name, source, { absolutePath: path.join(INVALID, file), offline: true, cwd: REPO_ROOT });
      const [small, large] = [await load(text), await load(`${text}\n${padding}`)];
      expect(large.diagnostics, file).toEqual(small.diagnostics);
    }
  });

  it('covers every diagnostic code the front end emits', () => {
    const covered = new Set(
      invalidFiles.flatMap((f) => expectations(f, readFileSync(path.join(INVALID, f), 'utf8')).map((e) => e.code)),
    );
    const emitted = new Set<string>();
    for (const dir of ['parse', 'schema', 'resolve', 'check']) {
      for (const file of readdirSync(path.join(REPO_ROOT, 'src', dir), { recursive: true, encoding: 'utf8' }).filter(
        (f) => f.endsWith('.ts'),
      )) {
        const source = readFileSync(path.join(REPO_ROOT, 'src', dir, file), 'utf8');
        for (const match of source.matchAll(
          /code: '([a-z-]+)'|report\([^)]*?'([a-z]+(?:-[a-z]+)+)'|error\('([a-z]+(?:-[a-z]+)+)'|\? '(duplicate-key|[a-z]+-[a-z-]+)' : '([a-z]+-[a-z-]+)'/g,
        )) {
          for (const code of match.slice(1)) if (code) emitted.add(code);
        }
      }
    }
    // Codes only the command line can produce (unreadable files) are tested in cli.test.ts.
    emitted.delete('unreadable-file');
    emitted.delete('yaml-warning');
    expect([...emitted].filter((code) => !covered.has(code)).sort()).toEqual([]);
  });
});

describe('valid corpus (fixtures/pipelines)', () => {
  const catalog = readConnectionCatalog('connections.yaml', readFileSync(path.join(VALID, 'connections.yaml'), 'utf8'));

  it('has at least 20 files and a valid connections catalog', () => {
    expect(validFiles.length).toBeGreaterThanOrEqual(20);
    expect(catalog.diagnostics).toEqual([]);
  });

  for (const file of validFiles) {
    it(`${file} is valid`, async () => {
      const result = await loadPolyaxonfile(
        `fixtures/pipelines/${file}`,
        readFileSync(path.join(VALID, file), 'utf8'),
        { absolutePath: path.join(VALID, file), hubDir: path.join(VALID, 'hub'), offline: true },
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.root).toBeDefined();
    });
  }
});
