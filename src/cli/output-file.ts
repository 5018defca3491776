import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './exit-codes.js';

/**
 * Where `-o OUT` will write, decided before any work is done, so a mistake costs nothing:
 * OUT may not be a folder (or end with a slash); missing folders are created, as `mkdir -p`
 * would; an existing symbolic link is followed; an existing device or pipe (`/dev/stdout`) is
 * written in place.
 */
export interface OutputTarget {
  /** The file written (links followed), or a device or pipe written in place. */
  readonly file: string;
  readonly inPlace: boolean;
  /** What the user typed, for messages. */
  readonly shown: string;
}

export async function prepareOutput(argument: string, cwd: string): Promise<OutputTarget> {
  const shown = argument;
  const absolute = path.resolve(cwd, argument);
  if (/[/\\]$/.test(argument))
    throw new UsageError(`-o \`${shown}\` names a folder; give a file name, e.g. \`-o ${shown}workflow.yaml\``);
  const existing = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`-o \`${shown}\` cannot be used: ${explain(error)}`);
  });
  if (existing?.isDirectory())
    throw new UsageError(
      `-o \`${shown}\` is a folder; give a file name, e.g. \`-o ${path.join(shown, 'workflow.yaml')}\``,
    );
  if (existing && !existing.isFile()) return { file: absolute, inPlace: true, shown };
  const file = existing ? await realpath(absolute) : absolute;
  try {
    await mkdir(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new UsageError(
      `-o \`${shown}\`: cannot create the folder \`${path.dirname(argument)}\`: ${explain(error as NodeJS.ErrnoException)}`,
    );
  }
  return { file, inPlace: false, shown };
}

/**
 * Writes `text` whole or not at all: into a new temporary file beside the target (same folder,
 * so the rename cannot cross file systems), flushed, then renamed over it. Every failure removes
 * the temporary file, and so does an interrupt (Ctrl-C, SIGTERM, SIGHUP) during the write; only a
 * SIGKILL can leave it, named `.NAME.*.tmp`, and never a partial OUT.
 */
export async function writeOutput(target: OutputTarget, text: string): Promise<void> {
  if (target.inPlace) {
    try {
      await writeFile(target.file, text);
    } catch (error) {
      throw new UsageError(`cannot write -o \`${target.shown}\`: ${explain(error as NodeJS.ErrnoException)}`);
    }
    return;
  }
  const temporary = path.join(
    path.dirname(target.file),
    `.${path.basename(target.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    removeSync(temporary);
    for (const s of signals) process.removeListener(s, onSignal);
    process.kill(process.pid, signal);
  };
  for (const signal of signals) process.once(signal, onSignal);
  try {
    const handle = await open(temporary, 'wx', 0o666);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target.file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new UsageError(`cannot write -o \`${target.shown}\`: ${explain(error as NodeJS.ErrnoException)}`);
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
  }
}

/** A signal handler cannot wait for a promise. */
function removeSync(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // not created yet, or already gone
  }
}

function explain(error: NodeJS.ErrnoException): string {
  switch (error.code ?? '') {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return error.message;
  }
}
