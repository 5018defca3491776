import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run.js';
import { repositoryRoot, type Console } from '../src/cli/io.js';
import { VERSION } from '../src/cli/version.js';
import { REPO_ROOT, SHARED_FIXTURES } from './support/paths.js';
import { runBundledCli } from './support/run-cli.js';
import pkg from '../package.json' with { type: 'json' };

/** An in-memory console for runCli. */
function memoryConsole(stdin = '', cwd = REPO_ROOT) {
  const out = { stdout: '', stderr: '' };
  const io: Console = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readStdin: async () => stdin,
    cwd,
  };
  return { io, out };
}

const fixture = (name: string) => path.join(SHARED_FIXTURES, name);

describe('validate', () => {
  it('exits 0 and says so when every file is valid', async () => {
    const { io, out } = memoryConsole();
    const code = await runCli(
      ['validate', fixture('pipelines/simple_dag_pipeline.yml'), fixture('plain/simple_job.yml')],
      io,
    );
    expect(code).toBe(0);
    expect(out.stderr).toBe('2 files valid\n');
  });

  it('exits 1 and prints GNU-style located errors with hints', async () => {
    const { io, out } = memoryConsole();
    const code = await runCli(['validate', fixture('plain/missing_kind.yml')], io);
    expect(code).toBe(1);
    const [first, hint] = out.stderr.split('\n');
    expect(first).toMatch(
      /^\/.*plain\/missing_kind\.yml:2:1: error: the Polyaxonfile `kind` must be specified \[missing-kind\]$/,
    );
    expect(hint).toMatch(/^ {4}hint: add `kind: component`/);
  });

  it('reports every invalid file of a batch, not just the first', async () => {
    const { io, out } = memoryConsole();
    const code = await runCli(
      [
        'validate',
        fixture('plain/missing_kind.yml'),
        fixture('plain/simple_job.yml'),
        fixture('plain/missing_version.yml'),
      ],
      io,
    );
    expect(code).toBe(1);
    expect(out.stderr).toContain('[missing-kind]');
    // Polyaxon 2.18 ignores `version`: missing_version.yml is refused for having no component.
    expect(out.stderr).toContain('[reference-count]');
    expect(out.stderr.trim().split('\n').at(-1)).toBe('2 of 3 files invalid: 2 errors');
  });

  it('prints the same diagnostics as a JSON array with --format json', async () => {
    const { io, out } = memoryConsole();
    const code = await runCli(['validate', '--format', 'json', fixture('pipelines/cyclic_pipeline.yml')], io);
    expect(code).toBe(1);
    const diagnostics = JSON.parse(out.stdout);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'cycle',
        location: expect.objectContaining({ line: 13, column: 22 }),
        field: 'run.operations[0].dependencies[0]',
      }),
    ]);
    expect(out.stderr).toBe('');
  });

  it('reads stdin for `-` and names it <stdin>', async () => {
    const { io, out } = memoryConsole('version: 1.1\nkind: component\nrun: {kind: job, containr: {image: x}}\n');
    const code = await runCli(['validate', '-'], io);
    expect(code).toBe(1);
    expect(out.stderr).toContain('<stdin>:3:18: error: unknown field `containr` in `run` [unknown-field]');
    expect(out.stderr).toContain('hint: did you mean `container`?');
  });

  it('applies --param values with the input types, reporting bad ones at <command line>', async () => {
    const file = fixture('typing/run_cmd_simple_file.yml');
    const good = memoryConsole();
    expect(await runCli(['validate', file, '--param', 'num_masks=100'], good.io)).toBe(0);
    const bad = memoryConsole();
    expect(await runCli(['validate', file, '-P', 'num_masks=ten'], bad.io)).toBe(1);
    expect(bad.out.stderr).toContain(
      '<command line>:1:12: error: param `num_masks` does not fit the input\'s type `int`: expected an integer, got "ten" [invalid-param-value]',
    );
  });

  it('refuses files over --max-file-size, and missing files, as located errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
    writeFileSync(
      path.join(dir, 'big.yaml'),
      `version: 1.1\nkind: component\n# ${'x'.repeat(2000)}\nrun: {kind: job}\n`,
    );
    const { io, out } = memoryConsole('', dir);
    expect(await runCli(['validate', 'big.yaml', 'nope.yaml', '--max-file-size', '1000'], io)).toBe(1);
    expect(out.stderr).toContain(
      'big.yaml:1:1: error: the file is 2049 bytes, over the 1000-byte limit [unreadable-file]',
    );
    expect(out.stderr).toContain('nope.yaml:1:1: error: no such file: `nope.yaml` [unreadable-file]');
  });

  it('refuses non-UTF-8 files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
    writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9, 0x0a]));
    const { io, out } = memoryConsole('', dir);
    expect(await runCli(['validate', 'latin1.yaml'], io)).toBe(1);
    expect(out.stderr).toContain('latin1.yaml:1:1: error: the file is not valid UTF-8 text');
  });
});

describe('the folder references may not leave', () => {
  it("is the file's git repository, else the working directory or the file's folder", () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'git-'));
    mkdirSync(path.join(repo, '.git'));
    mkdirSync(path.join(repo, 'ml', 'pipelines'), { recursive: true });
    expect(repositoryRoot(path.join(repo, 'ml', 'pipelines', 'p.yaml'), '/elsewhere')).toBe(repo);
    const plain = mkdtempSync(path.join(tmpdir(), 'plain-'));
    expect(repositoryRoot(path.join(plain, 'a', 'p.yaml'), plain)).toBe(plain);
    expect(repositoryRoot(path.join(plain, 'a', 'p.yaml'), '/elsewhere')).toBe(path.join(plain, 'a'));
    expect(repositoryRoot(undefined, '/cwd')).toBe('/cwd');
  });
});

describe('usage', () => {
  it.each([
    [['validate'], 'validate needs at least one FILE'],
    [['validate', 'x.yaml', '--format', 'xml'], '--format must be one of text, json, got `xml`'],
    [['validate', 'x.yaml', '--param', 'novalue'], '--param expects NAME=VALUE, got `novalue`'],
    [['validate', 'x.yaml', '--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], 'unknown command `frobnicate`'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const { io, out } = memoryConsole();
    expect(await runCli(args, io)).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain('--help');
  });

  it('prints help and the version', async () => {
    const help = memoryConsole();
    expect(await runCli(['validate', '--help'], help.io)).toBe(0);
    expect(help.out.stdout).toContain('Usage: polyaxon-argo validate FILE...');
    const version = memoryConsole();
    expect(await runCli(['--version'], version.io)).toBe(0);
    expect(version.out.stdout).toBe(`${VERSION}\n`);
    expect(VERSION).toBe(pkg.version);
  });

  it('turns an unexpected failure into one line and exit 3, never a stack trace', async () => {
    const { io, out } = memoryConsole();
    io.readStdin = async () => {
      throw new Error('disk on fire\n    at somewhere (file.js:1:1)');
    };
    expect(await runCli(['validate', '-'], io)).toBe(3);
    expect(out.stderr).toBe(
      'polyaxon-argo: internal error: disk on fire. This is a bug; please report it with the command and file that caused it.\n',
    );
  });
});

describe('the bundled CLI (dist/cli.js)', () => {
  it('validates a file in a fresh process with the documented exit codes', async () => {
    const valid = await runBundledCli(['validate', fixture('pipelines/simple_dag_pipeline.yml')]);
    expect(valid).toEqual({ code: 0, stdout: '', stderr: '1 file valid\n' });
    const invalid = await runBundledCli(['validate', '-'], { input: 'kind: component\n' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(
      '<stdin>:1:1: error: missing required field `run` [missing-field]',
    );
    const usage = await runBundledCli([]);
    expect(usage.code).toBe(2);
  });

  it("keeps its compiled code in Node's compile cache under the temp dir, and prints the same without it", async () => {
    // TMPDIR, not NODE_COMPILE_CACHE: that variable would turn the cache on by itself.
    const temp = mkdtempSync(path.join(tmpdir(), 'compile-cache-'));
    const cacheFiles = () =>
      readdirSync(temp, { recursive: true, withFileTypes: true }).filter(
        (entry) => entry.isFile() && entry.parentPath.includes('node-compile-cache'),
      ).length;
    const args = ['transpile', fixture('pipelines/simple_dag_pipeline.yml')];
    const env = { TMPDIR: temp, NODE_COMPILE_CACHE: undefined };
    const first = await runBundledCli(args, { env });
    expect(cacheFiles()).toBeGreaterThan(0);
    const cached = await runBundledCli(args, { env });
    const uncached = await runBundledCli(args, { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
    expect(first.code).toBe(0);
    expect(cached).toEqual(first);
    expect(uncached).toEqual(first);
  });
});
