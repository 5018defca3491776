import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPair, parse, parseDocument, visit } from 'yaml';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { BRACE_VARIABLE } from '../src/argo/contract.js';
import { loadPolyaxonfile } from '../src/load.js';
import { INPUT_LIMITS } from '../src/parse/input-limits.js';
import { transpile } from '../src/transpile.js';
import { lintManifests } from './support/argo-lint.js';
import { HEADER, HOSTILE } from './support/hostile-inputs.js';
import { REPO_ROOT } from './support/paths.js';
import { runBundledCli } from './support/run-cli.js';

/**
 * Pull requests from strangers: whatever the file holds, the answer is a located one-line
 * refusal (exit 1) or a manifest Argo accepts — never a crash, a stack trace, a hang or a
 * polluted object prototype. How fast each refusal comes is measured by `npm run bench`.
 */

describe('hostile files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-'));
  for (const [name, [content]] of Object.entries(HOSTILE)) writeFileSync(path.join(dir, name), content);

  it('are each refused with one located line naming the file, and exit 1', async () => {
    const files = Object.keys(HOSTILE).map((name) => path.join(dir, name));
    const { code, stdout, stderr } = await runBundledCli(['validate', '--format', 'json', ...files]);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    const diagnostics = JSON.parse(stdout) as {
      code: string;
      message: string;
      location: { file: string; line: number; column: number };
    }[];
    const byFile = Object.fromEntries(
      files.map((file) => [
        path.basename(file),
        diagnostics.filter((d) => d.location.file === file).map((d) => d.code),
      ]),
    );
    expect(byFile).toEqual(
      Object.fromEntries(Object.entries(HOSTILE).map(([name, [, expected]]) => [name, [expected]])),
    );
    for (const d of diagnostics) {
      expect(d.location.line).toBeGreaterThanOrEqual(1);
      expect(d.message).not.toContain('\n');
      expect(d.message.length).toBeLessThan(300);
    }
  });

  it('print a single line in the text format too', async () => {
    const { code, stderr } = await runBundledCli(['validate', path.join(dir, 'deep-flow.yaml')]);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(
      /deep-flow\.yaml:3:\d+: error: the YAML nests hundreds of levels deep, over the 128-level limit/,
    );
  });

  it('cannot reach the object prototype, whatever key they use', async () => {
    for (const name of ['proto-key.yaml', 'proto-deep.yaml', 'constructor-key.yaml']) {
      const result = await transpile(name, HOSTILE[name]![0] as string, { kind: 'workflow', offline: true });
      expect(result.output).toBeUndefined();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });
});

describe('aliases', () => {
  it.each(Object.keys(HOSTILE).filter((name) => name.startsWith('alias-')))(
    '%s is refused where its aliases pass a limit, before they are expanded',
    async (name) => {
      const [text, code] = HOSTILE[name]!;
      const result = await transpile(name, text as string, { kind: 'workflow', offline: true });
      expect(result.output).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
      expect(result.diagnostics[0]!.location.line).toBeGreaterThan(2);
    },
  );

  it('bound the expanded size, not the file: 8 MiB through aliases is refused, just under is read', async () => {
    const value = 'v'.repeat(100_000);
    const file = (copies: number) =>
      `${HEADER}description: &a "${value}"\ntags: [${Array(copies).fill('*a').join(', ')}]\nrun: {kind: job, container: {image: alpine}}\n`;
    const fits = Math.floor(INPUT_LIMITS.expanded / (value.length + 1)) - 2;
    expect((await loadPolyaxonfile('p.yaml', file(fits))).diagnostics).toEqual([]);
    const over = await loadPolyaxonfile('p.yaml', file(fits + 2));
    expect(over.diagnostics.map((d) => [d.code, d.location.line])).toEqual([['too-long', 4]]);
    expect(over.diagnostics[0]!.message).toContain('with its aliases expanded, this file passes 8 MiB here');
  });
});

/** Text edits a careless or hostile contributor might make to a valid Polyaxonfile. */
const NASTY = [
  '',
  '~',
  'null',
  '-1',
  '1e309',
  '0x1F',
  'yes',
  '[]',
  '{}',
  '"{{ workflow.name }}"',
  '\'{{=sprig.env("HOME")}}\'',
  '{{ globals.uuid }}',
  '&a x',
  '*a',
  '!!binary AAAA',
  '"\\u0000"',
  'ünïcödé',
  '$(rm -rf /)',
  '@',
  '`',
  '%',
  '|',
  '>',
];
const edit = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({
    kind: fc.constant('replace-value' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 })),
  }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    offset: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(':', '- ', '{', '}', '[', ']', '"', "'", '#', '\t', '\n', ...NASTY),
      fc.string({ maxLength: 6 }),
    ),
  }),
);

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, edits: Edit[]): string {
  const lines = text.split('\n');
  for (const e of edits) {
    const i = e.at % lines.length;
    const line = lines[i]!;
    if (e.kind === 'delete-line') lines.splice(i, 1);
    else if (e.kind === 'duplicate-line') lines.splice(i, 0, line);
    else if (e.kind === 'swap-lines')
      [lines[i], lines[e.other % lines.length]] = [lines[e.other % lines.length]!, line];
    else if (e.kind === 'replace-value')
      lines[i] = line.includes(': ') ? `${line.slice(0, line.indexOf(': ') + 2)}${e.value}` : line;
    else if (e.kind === 'indent')
      lines[i] =
        e.by >= 0 ? ' '.repeat(e.by) + line : line.slice(Math.min(-e.by, line.length - line.trimStart().length));
    else if (e.kind === 'insert')
      lines[i] = line.slice(0, e.offset % (line.length + 1)) + e.text + line.slice(e.offset % (line.length + 1));
    if (lines.length === 0) lines.push('');
  }
  return lines.join('\n');
}

describe('mutated Polyaxonfiles (property-based)', () => {
  const dir = path.join(REPO_ROOT, 'fixtures', 'pipelines');
  const pipelines = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
    .sort();
  const out = mkdtempSync(path.join(tmpdir(), 'mutated-'));

  it('either get clean located diagnostics or a manifest the real argo lint accepts', async () => {
    const manifests: string[] = [];
    const sources = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pipelines),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        async (file, edits) => {
          const text = apply(readFileSync(path.join(dir, file), 'utf8'), edits);
          const result = await transpile(`mutated/${file}`, text, {
            kind: 'workflow',
            offline: true,
            hubDir: path.join(dir, 'hub'),
            cwd: REPO_ROOT,
            absolutePath: path.join(dir, file),
          });
          const errors = expectLocated(result.diagnostics, `mutated/${file}`);
          if (errors.length) expect(result.output).toBeUndefined();
          else {
            expect(result.output).toBeTruthy();
            const target = path.join(out, `${manifests.length}.yaml`);
            writeFileSync(target, result.output!);
            manifests.push(target);
            sources.set(target, text);
          }
        },
      ),
      { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261125) },
    );
    // Enough mutants survive validation to make the lint below meaningful.
    expect(manifests.length).toBeGreaterThan(10);
    const lint = await lintManifests(manifests);
    // On failure, the message holds the mutated Polyaxonfiles Argo refused.
    expect(
      Object.fromEntries(lint.errors),
      [...lint.errors.keys()].map((file) => sources.get(file)).join('\n---\n'),
    ).toEqual({});
    expect(lint.ok, lint.output).toBe(true);
  });

  it('or, built from arbitrary values under a valid header, are refused at their place', async () => {
    const fields = fc.dictionary(
      fc.constantFrom(
        'name',
        'inputs',
        'outputs',
        'run',
        'tags',
        'termination',
        'plugins',
        'schedule',
        'hooks',
        'matrix',
        'params',
        'presets',
      ),
      fc.jsonValue({ maxDepth: 4 }),
      { minKeys: 1 },
    );
    await fc.assert(
      fc.asyncProperty(fields, async (values) => {
        const text = `${HEADER}${Object.entries(values)
          .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
          .join('\n')}\n`;
        const result = await transpile('random.yaml', text, { kind: 'workflow', offline: true });
        // Without a valid `run` there is nothing to transpile: the answer is always diagnostics.
        if (!('run' in values)) expect(result.output).toBeUndefined();
        expect(expectLocated(result.diagnostics, 'random.yaml').length > 0 || result.output !== undefined).toBe(true);
      }),
      { numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261125) },
    );
  });
});

/** Every diagnostic names the file, a real line and column, and a message; returns the errors. */
function expectLocated(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  for (const d of diagnostics) {
    expect(d.location.file).toBe(file);
    expect(d.location.line).toBeGreaterThanOrEqual(1);
    expect(d.location.column).toBeGreaterThanOrEqual(1);
    expect(d.message.trim()).not.toBe('');
  }
  return diagnostics.filter((d) => d.severity === 'error');
}

/**
 * Template injection: Argo expands `{{…}}` wherever it substitutes, so any user text that
 * reaches the manifest's `spec` with a raw tag in it would be evaluated. Each string of each
 * example pipeline gets a tag appended in turn; whatever is accepted must carry it encoded.
 */
describe('Argo tags appended to every string of every example', () => {
  const dir = path.join(REPO_ROOT, 'fixtures', 'pipelines');
  const pipelines = readdirSync(dir)
    .filter((f) => /\.(yaml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
    .sort();
  const tags = ['{{zzinject.name}}', "{{=sprig.env('ZZINJECT')}}", '{% raw %}{{zzinject.name}}{% endraw %}'];
  const raw = /\{\{\s*=?\s*(?:zzinject|sprig\.env\('ZZINJECT)/;

  it('never reach the spec as tags: they are encoded, refused, or rendered away', async () => {
    let accepted = 0;
    let encoded = 0;
    const leaks: string[] = [];
    for (const file of pipelines) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      for (const [start, end, value] of stringScalars(text)) {
        for (const tag of tags) {
          const mutated = `${text.slice(0, start)}${JSON.stringify(value + tag)}${text.slice(end)}`;
          const result = await transpile(`injected/${file}`, mutated, {
            kind: 'workflow',
            offline: true,
            hubDir: path.join(dir, 'hub'),
            cwd: REPO_ROOT,
            absolutePath: path.join(dir, file),
          });
          if (!result.output) continue;
          accepted++;
          const spec = JSON.stringify((parse(result.output) as { spec: unknown }).spec);
          if (raw.test(spec)) leaks.push(`${file}: ${value + tag}`);
          if (!spec.includes(`$(${BRACE_VARIABLE})`)) continue;
          encoded++;
          for (const container of containersOf(parse(result.output)))
            expect(container.env?.[0], `${file}: ${value + tag}`).toEqual({ name: BRACE_VARIABLE, value: '{' });
        }
      }
    }
    expect(leaks).toEqual([]);
    // Both outcomes happen often enough for the assertions above to mean something.
    expect(accepted).toBeGreaterThan(100);
    expect(encoded).toBeGreaterThan(50);
  }, 300_000);
});

/** [start, end, value] of every string value (not key) in a YAML or JSON text. */
function stringScalars(text: string): [number, number, string][] {
  const found: [number, number, string][] = [];
  visit(parseDocument(text), {
    Scalar(_, node, ancestors) {
      const parent = ancestors.at(-1);
      if (typeof node.value === 'string' && node.range && !(isPair(parent) && parent.key === node))
        found.push([node.range[0], node.range[1], node.value]);
    },
  });
  return found;
}

/** Every container of every template, including those inside a resource template's manifest. */
function containersOf(manifest: unknown): { env?: unknown[] }[] {
  const found: { env?: unknown[] }[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (typeof node === 'string' && key === 'manifest') return walk(parse(node));
    if (node === null || typeof node !== 'object') return;
    if (key === 'container') found.push(node);
    for (const [k, value] of Object.entries(node)) {
      if (['containers', 'initContainers', 'sidecars'].includes(k) && Array.isArray(value))
        found.push(...(value as { env?: unknown[] }[]));
      else walk(value, Array.isArray(node) ? key : k);
    }
  };
  walk(manifest);
  return found;
}
