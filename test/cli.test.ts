import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UsageError } from '../src/cli/exit-codes.js';
import { readCapped, repositoryRoot, type Console } from '../src/cli/io.js';
import { prepareOutput, writeOutput } from '../src/cli/output-file.js';
import { runCli } from '../src/cli/run.js';
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
    readStdin: (maxBytes: number) =>
      Promise.resolve(Buffer.byteLength(stdin) > maxBytes ? undefined : Buffer.from(stdin)),
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

  it("reports what Argo cannot express, as the Action does; --polyaxon-only keeps to Polyaxon's rules", async () => {
    const file = path.join(REPO_ROOT, 'fixtures', 'invalid-argo', 'schedule-in-dag.yaml');
    const argo = memoryConsole();
    expect(await runCli(['validate', '--diagnostics', 'json', file], argo.io)).toBe(1);
    expect(JSON.parse(argo.out.stdout)).toMatchObject([
      { code: 'not-supported-by-argo', location: { line: 8, column: 5 } },
    ]);
    const polyaxon = memoryConsole();
    expect(await runCli(['validate', '--polyaxon-only', file], polyaxon.io)).toBe(0);
    expect(polyaxon.out.stderr).toBe('1 file valid\n');
    const unknown = memoryConsole();
    const catalogFile = path.join(REPO_ROOT, 'fixtures', 'pipelines', 'connections.yaml');
    const connections = path.join(REPO_ROOT, 'fixtures', 'invalid-argo', 'unknown-connection.yaml');
    expect(await runCli(['validate', '--connections', catalogFile, connections], unknown.io)).toBe(1);
    expect(unknown.out.stderr).toContain('connection `warehouse` is not in the connections catalog');
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
    expect(JSON.parse(out.stdout)).toMatchObject([
      {
        severity: 'error',
        code: 'cycle',
        location: { line: 13, column: 22 },
        field: 'run.operations[0].dependencies[0]',
      },
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

  it("tells the console each file's size before reading it (the process sizes its heap by it)", async () => {
    const stdin = 'version: 1.1\nkind: component\nrun: {kind: job, container: {image: "alpine:3.20"}}\n';
    const { io } = memoryConsole(stdin);
    const sizes: number[] = [];
    io.sizeHeapFor = (bytes) => sizes.push(bytes);
    const file = fixture('pipelines/simple_dag_pipeline.yml');
    expect(await runCli(['validate', file, '-'], io)).toBe(0);
    expect(sizes).toEqual([statSync(file).size, Buffer.byteLength(stdin)]);
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
      'big.yaml:1:1: error: `big.yaml` is 2049 bytes, over the 1000-byte limit [unreadable-file]',
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
    io.readStdin = () => Promise.reject(new Error('disk on fire\n    at somewhere (file.js:1:1)'));
    expect(await runCli(['validate', '-'], io)).toBe(3);
    expect(out.stderr).toBe(
      'polyaxon-argo: internal error: disk on fire. This is a bug; please report it with the command and file that caused it.\n',
    );
  });
});

const PIPELINE = 'fixtures/pipelines/operation-with-params.yaml';

describe('inputs that are not regular files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'special-'));
  execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);

  it('a FIFO or /dev/zero as the file or the catalog is refused at once, as a located unreadable-file', async () => {
    for (const args of [
      ['validate', path.join(dir, 'pipe.yaml')],
      ['transpile', path.join(REPO_ROOT, PIPELINE), '--connections', path.join(dir, 'pipe.yaml')],
      ['transpile', path.join(REPO_ROOT, PIPELINE), '--connections', '/dev/zero'],
      ['graph', '/dev/zero'],
    ]) {
      const { io, out } = memoryConsole('', dir);
      expect(await runCli(args, io), args.join(' ')).toBe(1);
      const file = args.at(-1)!;
      const kind = file.endsWith('pipe.yaml') ? 'a named pipe' : 'a character device';
      expect(out.stderr).toContain(`${file}:1:1: error: \`${file}\` is not a regular file (${kind}) [unreadable-file]`);
      expect(out.stdout).toBe('');
    }
  });

  it('a folder is refused as a folder', async () => {
    const { io, out } = memoryConsole('', dir);
    expect(await runCli(['validate', '.'], io)).toBe(1);
    expect(out.stderr).toContain('.:1:1: error: `.` is a folder, not a file [unreadable-file]');
  });

  it('standard input is cut off at the size cap while it is read, not after', async () => {
    let pulled = 0;
    function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(64 * 1024);
      }
    }
    expect(await readCapped(endless() as unknown as AsyncIterable<Buffer>, 1_000_000)).toBeUndefined();
    expect(pulled).toBe(16); // 16 × 64 KiB is the first total over 1,000,000 bytes
    expect(await readCapped([Buffer.from('ab'), Buffer.from('c')][Symbol.iterator]() as never, 3)).toEqual(
      Buffer.from('abc'),
    );
    const { io, out } = memoryConsole('x'.repeat(2000));
    expect(await runCli(['validate', '-', '--max-file-size', '1000'], io)).toBe(1);
    expect(out.stderr).toContain(
      '<stdin>:1:1: error: standard input is over the 1000-byte limit [unreadable-file]\n    hint: raise it with `--max-file-size BYTES`',
    );
  });

  it('standard input cannot hold both the file and the catalog', async () => {
    const { io, out } = memoryConsole('');
    expect(await runCli(['transpile', '-', '--connections', '-'], io)).toBe(2);
    expect(out.stderr).toContain('can hold the Polyaxonfile or the connections catalog, not both');
  });
});

describe('transpile -o', () => {
  const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('refuses a folder, saying what to give instead, with exit 2 and before any work', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'out-'));
    for (const target of [dir, `${dir}/`, `${path.join(dir, 'new')}/`]) {
      const { io, out } = memoryConsole();
      expect(await runCli(['transpile', PIPELINE, '-o', target], io)).toBe(2);
      expect(out.stderr).toMatch(/-o `.*` (is|names) a folder; give a file name, e\.g\. `-o .*workflow\.yaml`/);
      expect(out.stdout).toBe('');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('creates missing folders, as mkdir -p would', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'out-'));
    const { io } = memoryConsole();
    const target = path.join(dir, 'build', 'argo', 'wf.yaml');
    expect(await runCli(['transpile', PIPELINE, '-o', target], io)).toBe(0);
    expect((parse(readFileSync(target, 'utf8')) as { kind: string }).kind).toBe('Workflow');
    expect(leftovers(path.dirname(target))).toEqual([]);
  });

  it('refuses a path through a file with exit 2, leaving nothing behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'out-'));
    writeFileSync(path.join(dir, 'file'), 'x');
    const { io, out } = memoryConsole();
    expect(await runCli(['transpile', PIPELINE, '-o', path.join(dir, 'file', 'wf.yaml')], io)).toBe(2);
    expect(out.stderr).toContain('a part of the path is a file, not a folder');
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('replaces an existing file whole, and a failed write leaves neither a partial file nor a temporary one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'out-'));
    const target = path.join(dir, 'wf.yaml');
    writeFileSync(target, 'old');
    expect(await runCli(['transpile', PIPELINE, '-o', target], memoryConsole().io)).toBe(0);
    expect(readFileSync(target, 'utf8')).toContain('kind: Workflow');
    // The target turns into a folder between the check and the write: the rename fails.
    const late = path.join(dir, 'late.yaml');
    const prepared = await prepareOutput(late, dir);
    mkdirSync(late);
    await expect(writeOutput(prepared, 'text')).rejects.toThrow(UsageError);
    expect(leftovers(dir)).toEqual([]);
    expect(statSync(late).isDirectory()).toBe(true);
  });

  it('writes a pipe in place instead of replacing it, and `-o -` is stdout', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'out-'));
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const received = new Promise<string>((resolve) => {
      let text = '';
      createReadStream(fifo, 'utf8')
        .on('data', (chunk) => (text += String(chunk)))
        .on('end', () => resolve(text));
    });
    expect(await runCli(['transpile', PIPELINE, '-o', fifo], memoryConsole().io)).toBe(0);
    expect(await received).toContain('kind: Workflow');
    expect(statSync(fifo).isFIFO()).toBe(true);
    const { io, out } = memoryConsole();
    expect(await runCli(['transpile', PIPELINE, '-o', '-'], io)).toBe(0);
    expect(out.stdout).toContain('kind: Workflow');
    expect(existsSync('-')).toBe(false);
  });
});

describe('--format json', () => {
  it('prints transpile and graph problems as one JSON array on stderr, stdout left empty', async () => {
    for (const args of [
      ['transpile', 'fixtures/invalid/cycle-two.yaml', '--format', 'json'],
      ['transpile', 'fixtures/invalid/cycle-two.yaml', '--diagnostics', 'json'],
      ['graph', 'fixtures/invalid/cycle-two.yaml', '--diagnostics', 'json'],
    ]) {
      const { io, out } = memoryConsole();
      expect(await runCli(args, io)).toBe(1);
      expect(out.stdout).toBe('');
      const diagnostics = JSON.parse(out.stderr) as { code: string; location: { file: string } }[];
      expect(diagnostics.map((d) => d.code)).toContain('cycle');
    }
  });

  it('keeps stdout for the manifest and prints an empty array when there is no problem', async () => {
    const { io, out } = memoryConsole();
    expect(await runCli(['transpile', PIPELINE, '--format', 'json'], io)).toBe(0);
    expect((JSON.parse(out.stdout) as { kind: string }).kind).toBe('Workflow');
    expect(JSON.parse(out.stderr)).toEqual([]);
  });

  it('prints usage errors as JSON too, where the command prints its problems, with exit 2', async () => {
    const validate = memoryConsole();
    expect(await runCli(['validate', '--format', 'json', '--bogus'], validate.io)).toBe(2);
    expect(validate.out.stderr).toBe('');
    expect(JSON.parse(validate.out.stdout)).toEqual([
      {
        severity: 'error',
        code: 'invalid-command-line',
        message:
          "Unknown option '--bogus'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--bogus\"",
        location: { file: '<command line>', line: 1, column: 1 },
        hint: 'run `polyaxon-argo validate --help` for usage',
      },
    ]);
    const transpile = memoryConsole();
    expect(await runCli(['transpile', '--format=json', 'a.yaml', 'b.yaml'], transpile.io)).toBe(2);
    expect(transpile.out.stdout).toBe('');
    expect(JSON.parse(transpile.out.stderr)).toMatchObject([
      { code: 'invalid-command-line', message: 'transpile needs exactly one FILE' },
    ]);
    const text = memoryConsole();
    expect(await runCli(['transpile', '--format', 'json', '--diagnostics', 'text', 'a', 'b'], text.io)).toBe(2);
    expect(text.out.stderr).toContain('polyaxon-argo: transpile needs exactly one FILE');
  });
});

describe('urlRef that does not answer', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it('is a located problem naming the URL and the time limit, with exit 1', async () => {
    const { io, out } = memoryConsole(
      `version: 1.1\nkind: component\nrun:\n  kind: dag\n  operations:\n  - {name: a, urlRef: "${base}/c.yaml"}\n`,
    );
    const code = await runCli(['validate', '-', '--allow-private-urls', '--url-timeout', '0.3'], io);
    expect(code).toBe(1);
    expect(out.stderr).toContain(
      `<stdin>:6:23: error: cannot download urlRef \`${base}/c.yaml\`: no complete answer within 300 ms [unresolved-reference]`,
    );
  });

  it('--url-timeout takes a positive number of seconds', async () => {
    const { io, out } = memoryConsole();
    expect(await runCli(['validate', 'x.yaml', '--url-timeout', '0'], io)).toBe(2);
    expect(out.stderr).toContain('--url-timeout expects a positive number of seconds, got `0`');
  });
});

describe('--name, --generate-name and --namespace', () => {
  const run = async (...extra: string[]) => {
    const { io, out } = memoryConsole();
    const code = await runCli(['transpile', PIPELINE, ...extra], io);
    return { code, ...out };
  };

  it.each([
    [['--name', 'Retrain_7'], '--name `Retrain_7` has upper-case letters; a name is lower case (`retrain_7`)'],
    [
      ['--name', 'retrain_7'],
      '--name `retrain_7` holds `_`; a name may hold only lower-case letters, digits, `-` and `.`',
    ],
    [['--name=-retrain'], '--name `-retrain` must start and end with a letter or a digit'],
    [['--name', 'a..b'], '--name `a..b` has an empty part between dots'],
    [['--name', 'r'.repeat(64)], 'is 64 characters long; Argo accepts at most 63 for a Workflow name'],
    [
      ['--generate-name', 'g'.repeat(58)],
      'with the 5 Kubernetes adds, a Workflow name has at most 63, so the prefix at most 58',
    ],
    [['--generate-name', 'PR-12'], '--generate-name `PR-12` has upper-case letters'],
    [
      ['--namespace', 'ml.team'],
      '--namespace `ml.team` holds `.`; a namespace may hold only lower-case letters, digits, `-`',
    ],
    [['--namespace', 'n'.repeat(64)], 'a namespace has at most 63'],
  ])('%j is refused at <command line> with invalid-name (exit 1)', async (args, message) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^<command line>:1:1: error: /);
    expect(stderr).toContain(message);
    expect(stderr).toContain('[invalid-name]');
  });

  it('accepts names Kubernetes accepts, up to the limits', async () => {
    for (const args of [
      ['--name', 'retrain.v2-7'],
      ['--name', 'r'.repeat(63)],
      ['--generate-name', 'pr-12-'],
      ['--generate-name', 'g'.repeat(57)],
      ['--namespace', 'ml-team'],
    ])
      expect((await run(...args)).code, args.join(' ')).toBe(0);
  });

  it('gives a CronWorkflow 52 characters, since Argo names its runs after it', async () => {
    const cron = 'fixtures/pipelines/schedule-cron.yaml';
    const { io, out } = memoryConsole();
    expect(await runCli(['transpile', cron, '--name', 'c'.repeat(53)], io)).toBe(1);
    expect(out.stderr).toContain('is 53 characters long; Argo accepts at most 52 for a CronWorkflow name');
    expect(await runCli(['transpile', cron, '--name', 'c'.repeat(52)], memoryConsole().io)).toBe(0);
  });

  it('are reported with the file problems, in JSON too', async () => {
    const { io, out } = memoryConsole();
    expect(
      await runCli(['transpile', 'fixtures/invalid/cycle-two.yaml', '--name', 'Bad', '--diagnostics', 'json'], io),
    ).toBe(1);
    const codes = (JSON.parse(out.stderr) as { code: string; field?: string }[]).map((d) => [d.code, d.field]);
    expect(codes).toContainEqual(['invalid-name', '--name']);
    expect(codes.map(([code]) => code)).toContain('cycle');
  });
});

describe('the bundled CLI (dist/cli.js)', () => {
  it('validates a file in a fresh process with the documented exit codes', async () => {
    const valid = await runBundledCli(['validate', fixture('pipelines/simple_dag_pipeline.yml')]);
    expect(valid).toEqual({ code: 0, stdout: '', stderr: '1 file valid\n' });
    const invalid = await runBundledCli(['validate', '-'], { input: 'kind: component\n' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('<stdin>:1:1: error: missing required field `run` [missing-field]');
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

describe('--project', () => {
  const tagged = `version: 1.1
kind: component
name: tagger
run: {kind: job, container: {image: alpine, args: ["{{ globals.project_unique_name }}"]}}
`;

  it('names the project the project globals read, on transpile and validate alike', async () => {
    const { io, out } = memoryConsole(tagged);
    expect(await runCli(['transpile', '-', '--project', 'acme/vision'], io)).toBe(0);
    expect(out.stdout).toContain('- name: polyaxon-owner\n        value: acme\n');
    const bare = memoryConsole(tagged);
    expect(await runCli(['validate', '-'], bare.io)).toBe(1);
    expect(bare.out.stderr).toContain('hint: name it once with `--project OWNER/NAME`');
  });

  it('is a usage error when it is not OWNER/NAME or NAME', async () => {
    const { io, out } = memoryConsole(tagged);
    expect(await runCli(['transpile', '-', '--project', 'a/b/c'], io)).toBe(2);
    expect(out.stderr).toContain('--project takes OWNER/NAME or NAME');
  });
});
