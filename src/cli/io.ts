import { diagnostic } from '../diagnostics/diagnostic.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { CLI_SPELLING, spellOptions } from '../diagnostics/option-names.js';
import { readRegularFile } from '../resolve/read-file.js';

/** What the CLI reads and writes; tests pass their own. */
export interface Console {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input up to its end, or undefined as soon as it passes `maxBytes` (read no further). */
  readStdin(maxBytes: number): Promise<Buffer | undefined>;
  /** Told the size of each file read, before it is parsed, so the process can size its heap. */
  sizeHeapFor?(bytes: number): void;
  cwd: string;
}

/**
 * A Polyaxonfile's YAML tree takes about 70 times its text in heap, all of it short-lived. Up to
 * 1 MiB of text, V8 grows the heap as it likes (up to 4x per collection): fastest, and the peak
 * stays under 300 MB. Above, the heap grows by 20% per collection: on Node 20 a 20,000-operation
 * file (3 MB) then peaks at about 430 MB instead of 520 to 590, for about a quarter more time.
 */
export const BOUNDED_HEAP_FROM_BYTES = 1024 * 1024;

export const processConsole: Console = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async (maxBytes) => {
    const bytes = await readCapped(process.stdin as AsyncIterable<Buffer>, maxBytes);
    if (!bytes) process.stdin.destroy();
    return bytes;
  },
  sizeHeapFor: (bytes) => {
    if (bytes > BOUNDED_HEAP_FROM_BYTES) setFlagsFromString('--heap-growing-percent=20');
  },
  cwd: process.cwd(),
};

/**
 * Reads a stream to its end, or stops as soon as more than `maxBytes` came (undefined): an
 * endless input (`/dev/zero`, `yes |`) costs at most one chunk past the cap.
 */
export async function readCapped(stream: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface InputFile {
  name: string;
  absolutePath?: string;
  text: string;
}

/**
 * Reads a Polyaxonfile named on the command line (`-` is stdin), or any file the command line
 * names (`--connections`). Problems reading it are diagnostics at its line 1, so they are
 * reported like any other: missing, not a regular file (a FIFO or `/dev/zero` is refused
 * without being read), over the size cap (standard input is cut off there), not UTF-8.
 */
export async function readInput(argument: string, io: Console, maxBytes: number): Promise<InputFile | Diagnostic> {
  const name = argument === '-' ? '<stdin>' : argument;
  const fail = (message: string, hint?: string): Diagnostic =>
    diagnostic({
      code: 'unreadable-file',
      message,
      location: { file: name, line: 1, column: 1 },
      ...(hint ? { hint } : {}),
    });
  let bytes: Buffer;
  let absolutePath: string | undefined;
  if (argument === '-') {
    const input = await io.readStdin(maxBytes);
    if (!input)
      return fail(`standard input is over the ${maxBytes}-byte limit`, 'raise it with `--max-file-size BYTES`');
    bytes = input;
  } else {
    absolutePath = path.resolve(io.cwd, argument);
    const read = await readRegularFile(absolutePath, maxBytes, argument);
    if (!Buffer.isBuffer(read))
      return fail(spellOptions(read.problem, CLI_SPELLING), read.hint && spellOptions(read.hint, CLI_SPELLING));
    bytes = read;
  }
  io.sizeHeapFor?.(bytes.byteLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the file is not valid UTF-8 text', 'save the file as UTF-8');
  }
  return absolutePath ? { name, absolutePath, text } : { name, text };
}

/**
 * The folder a file's references may not leave: its git repository (the nearest folder with a
 * `.git`); outside any repository, the working directory, or the file's own folder when the file
 * is not under the working directory.
 */
export function repositoryRoot(absolutePath: string | undefined, cwd: string): string {
  if (!absolutePath) return cwd;
  for (let dir = path.dirname(absolutePath); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  return absolutePath.startsWith(path.resolve(cwd) + path.sep) ? cwd : path.dirname(absolutePath);
}
