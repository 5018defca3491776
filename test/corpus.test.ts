import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../src/diagnostics/codes.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { loadPolyaxonfile } from '../src/load.js';
import { checkPolyaxonfile } from '../src/transpile.js';
import { readConnectionCatalog } from '../src/resolve/connection-catalog.js';
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
const INVALID_ARGO = path.join(REPO_ROOT, 'fixtures', 'invalid-argo');
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
const argoFiles = readdirSync(INVALID_ARGO)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const validFiles = readdirSync(VALID)
  .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
  .sort();

/** The diagnostics are exactly the expected ones, at their places, with their key words. */
function expectExactly(diagnostics: Diagnostic[], expected: Expectation[]): void {
  const actual = diagnostics.map(
    (d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.severity} ${d.code}`,
  );
  expect(actual.sort()).toEqual(expected.map((e) => `${e.file}:${e.line}:${e.column} ${e.severity} ${e.code}`).sort());
  for (const e of expected) {
    const diagnostic = diagnostics.find(
      (d) =>
        d.location.file === e.file && d.location.line === e.line && d.location.column === e.column && d.code === e.code,
    );
    for (const word of e.words) expect(diagnostic?.message).toContain(word);
  }
}

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
      expectExactly(result.diagnostics, expected);
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

  it('every code of the registry is expected by a fixture, or tested by name elsewhere', () => {
    const covered = new Set(
      [...invalidFiles.map((f) => path.join(INVALID, f)), ...argoFiles.map((f) => path.join(INVALID_ARGO, f))].flatMap(
        (file) => expectations(file, readFileSync(file, 'utf8')).map((e) => e.code),
      ),
    );
    for (const [code, file] of Object.entries(TESTED_ELSEWHERE)) {
      // By name: quoted in an assertion, or as the title of an Action's annotation.
      expect(readFileSync(path.join(REPO_ROOT, 'test', file), 'utf8'), `${code} in ${file}`).toMatch(
        new RegExp(`'${code}'|title=${code},`),
      );
      covered.add(code);
    }
    expect(Object.keys(CODES).filter((code) => !covered.has(code))).toEqual([]);
  });
});

/**
 * Codes whose cause cannot sit in a small Polyaxonfile of its own (a file that cannot be read,
 * sizes, a catalog's own problems), each asserted by name in the test file given.
 */
const TESTED_ELSEWHERE: Record<string, string> = {
  'unreadable-file': 'support/hostile-inputs.ts',
  'invalid-command-line': 'cli.test.ts',
  'yaml-warning': 'lower.test.ts',
  'manifest-size': 'lower.test.ts',
  'duplicate-connection': 'bind.test.ts',
  'annotation-too-large': 'bind.test.ts',
  'too-long': 'hostile-input.test.ts',
  'imprecise-number': 'pyyaml-reading.test.ts',
  'unsafe-pattern': 'python-pattern.test.ts',
  'run-status-size': 'forecast.test.ts',
  'pod-annotations-size': 'forecast.test.ts',
  'run-name-too-long': 'forecast.test.ts',
  'cluster-refused': 'dry-run.test.ts',
  'missing-service-account': 'dry-run.test.ts',
};

describe('Argo corpus (fixtures/invalid-argo): Polyaxon accepts these, Argo cannot run them', () => {
  const catalog = readConnectionCatalog(
    'connections.yaml',
    readFileSync(path.join(VALID, 'connections.yaml'), 'utf8'),
  ).catalog;

  for (const file of argoFiles) {
    it(file, async () => {
      const name = `fixtures/invalid-argo/${file}`;
      const text = readFileSync(path.join(INVALID_ARGO, file), 'utf8');
      const loaded = await loadPolyaxonfile(name, text, {
        absolutePath: path.join(INVALID_ARGO, file),
        offline: true,
        cwd: REPO_ROOT,
      });
      expect(
        loaded.diagnostics.filter((d) => d.severity === 'error'),
        'Polyaxon accepts it',
      ).toEqual([]);
      const result = await checkPolyaxonfile(name, text, {
        kind: 'workflow',
        absolutePath: path.join(INVALID_ARGO, file),
        offline: true,
        cwd: REPO_ROOT,
        hubDir: path.join(VALID, 'hub'),
        ...(catalog ? { connections: catalog } : {}),
      });
      expectExactly(result.diagnostics, expectations(name, text));
    });
  }
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
