import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './paths.js';

/**
 * The published `polyaxon` package as a judge: a long-running Python process
 * (test/support/polyaxon-judge/judge.py) answering one JSON line per request, so thousands of
 * files cost one interpreter start. scripts/setup-polyaxon.sh installs it (the unit suite's
 * global setup runs it).
 */

export interface Verdict {
  valid: boolean;
  /** Polyaxon's error, causes joined by ` <- `, when invalid. */
  message?: string;
  /** Time Polyaxon spent on the request, in milliseconds (measured inside the process). */
  ms: number;
}

export interface CheckRequest {
  /** `-P NAME=VALUE` params, as our CLI's `--param`. */
  params?: ReadonlyArray<readonly [string, string]>;
  /** Base URL of a hub (see serveHub); hubRefs fail without one. */
  hub?: string;
}

export interface PolyaxonJudge {
  /** The package version answering (pinned in scripts/polyaxon-requirements.txt). */
  version: string;
  /** `polyaxon check -f FILE -P …`: the file's verdict. */
  check(file: string, request?: CheckRequest): Promise<Verdict>;
  /** Sends any other request to the process (see judge.py); resolves with its raw answer. */
  ask(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function polyaxonPython(): string {
  const python = path.join(REPO_ROOT, '.tools', 'polyaxon', 'bin', 'python');
  if (!existsSync(python)) throw new Error('polyaxon is not installed: run `bash scripts/setup-polyaxon.sh`');
  return python;
}

const JUDGE = path.join(REPO_ROOT, 'test', 'support', 'polyaxon-judge', 'judge.py');

/** A request that takes longer than this is answered with an error and the process restarted. */
const DEFAULT_TIMEOUT_MS = 60_000;

export async function startPolyaxonJudge(options: { timeoutMs?: number } = {}): Promise<PolyaxonJudge> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let child: ChildProcessWithoutNullStreams;
  let version = '';
  let nextId = 0;
  let stderr = '';
  const pending = new Map<number, { resolve: (answer: Record<string, unknown>) => void; reject: (e: Error) => void }>();

  const start = () =>
    new Promise<void>((resolve, reject) => {
      child = spawn(polyaxonPython(), [JUDGE], {
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-8000);
      });
      child.on('exit', (code, signal) => {
        const error = new Error(`the polyaxon judge exited (${signal ?? code}): ${stderr.trim()}`);
        for (const { reject: fail } of pending.values()) fail(error);
        pending.clear();
        reject(error);
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const answer = JSON.parse(line) as Record<string, unknown>;
        if (answer.ready) {
          version = String(answer.version);
          resolve();
          return;
        }
        const waiting = pending.get(answer.id as number);
        pending.delete(answer.id as number);
        waiting?.resolve(answer);
      });
    });

  await start();

  const ask = (request: Record<string, unknown>) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the polyaxon judge took over ${timeoutMs} ms on ${JSON.stringify(request)}`));
        // Whatever it was doing, the process is no longer usable: start a fresh one.
        child.removeAllListeners('exit');
        child.kill('SIGKILL');
        void start();
      }, timeoutMs);
      pending.set(id, {
        resolve: (answer) => {
          clearTimeout(timer);
          if (answer.error) reject(new Error(`the polyaxon judge failed: ${JSON.stringify(answer.error)}`));
          else resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.stdin.write(JSON.stringify({ ...request, id }) + '\n');
    });

  return {
    get version() {
      return version;
    },
    async check(file, request = {}) {
      const answer = await ask({ op: 'check', path: file, params: request.params ?? [], hub: request.hub });
      return {
        valid: answer.valid === true,
        ...(typeof answer.message === 'string' ? { message: answer.message } : {}),
        ms: Number(answer.ms),
      };
    },
    ask,
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/**
 * Serves a hub folder the way our CLI reads it (`--hub DIR`) at the URLs Polyaxon's
 * public-registry mode asks for: `hubRef: NAME:VERSION` → `/NAME/VERSION.yaml` → `NAME/VERSION.yaml`;
 * a version-less `hubRef: NAME` asks for `/NAME/latest.yaml`, which our CLI reads as `NAME.yaml`.
 */
export async function serveHub(hubDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = path.resolve(hubDir);
  const server: Server = createServer((request, response) => {
    void (async () => {
      const wanted = decodeURIComponent(new URL(request.url ?? '/', 'http://hub').pathname).replace(/^\/+/, '');
      const candidates = [wanted];
      if (wanted.endsWith('/latest.yaml')) candidates.unshift(`${wanted.slice(0, -'/latest.yaml'.length)}.yaml`);
      for (const candidate of candidates) {
        const file = path.resolve(root, candidate);
        if (!file.startsWith(root + path.sep)) break;
        try {
          const text = await readFile(file);
          response.writeHead(200, { 'content-type': 'text/yaml' }).end(text);
          return;
        } catch {
          // try the next candidate
        }
      }
      response.writeHead(404).end('not found');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
