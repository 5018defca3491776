import { diagnostic } from '../diagnostics/diagnostic.js';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** What the CLI reads and writes; tests pass their own. */
export interface Console {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  cwd: string;
}

export const processConsole: Console = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  cwd: process.cwd(),
};

export interface InputFile {
  name: string;
  absolutePath?: string;
  text: string;
}

/**
 * Reads a Polyaxonfile named on the command line (`-` is stdin). Problems reading it are
 * diagnostics at line 1, so they are reported like any other.
 */
export async function readInput(argument: string, io: Console, maxBytes: number): Promise<InputFile | Diagnostic> {
  const fail = (message: string, hint?: string): Diagnostic =>
    diagnostic({
      code: 'unreadable-file',
      message,
      location: { file: argument === '-' ? '<stdin>' : argument, line: 1, column: 1 },
      ...(hint ? { hint } : {}),
    });
  if (argument === '-') {
    const text = await io.readStdin();
    if (Buffer.byteLength(text) > maxBytes)
      return fail(`the input is over the ${maxBytes}-byte limit`, 'raise it with --max-file-size BYTES');
    return { name: '<stdin>', text };
  }
  const absolutePath = path.resolve(io.cwd, argument);
  try {
    const info = await stat(absolutePath);
    if (!info.isFile()) return fail(`\`${argument}\` is not a file`);
    if (info.size > maxBytes)
      return fail(
        `the file is ${info.size} bytes, over the ${maxBytes}-byte limit`,
        'raise it with --max-file-size BYTES',
      );
    const bytes = await readFile(absolutePath);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { name: argument, absolutePath, text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail(`no such file: \`${argument}\``);
    if (code === 'EACCES') return fail(`permission denied reading \`${argument}\``);
    if (error instanceof TypeError) return fail('the file is not valid UTF-8 text', 'save the file as UTF-8');
    return fail(`cannot read \`${argument}\`: ${(error as Error).message}`);
  }
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
