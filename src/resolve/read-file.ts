import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { optionRef } from '../diagnostics/option-names.js';

/** Why a file could not be read, as a sentence that names it. */
export interface FileProblem {
  problem: string;
  hint?: string;
}

/**
 * Reads a regular file of at most `maxBytes` bytes. The file is opened without blocking and
 * checked on the open handle, so a FIFO, a device such as `/dev/zero`, a socket or a folder is
 * refused at once instead of hanging or reading forever, and a file swapped after a check
 * cannot slip through. Reading stops one byte past the cap, even if the file grows meanwhile.
 * `shown` is the name used in the messages.
 */
export async function readRegularFile(file: string, maxBytes: number, shown: string): Promise<Buffer | FileProblem> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return openProblem(error as NodeJS.ErrnoException, shown);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { problem: `\`${shown}\` is a folder, not a file` };
    if (!info.isFile())
      return {
        problem: `\`${shown}\` is not a regular file (${kindOf(info)})`,
        hint: 'give the path of a file; to read standard input, use `-`',
      };
    if (info.size > maxBytes) return tooLarge(shown, info.size, maxBytes);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > maxBytes) return tooLarge(shown, undefined, maxBytes);
        break; // exactly as large as it was when checked
      }
    }
    return buffer.subarray(0, length);
  } catch (error) {
    return openProblem(error as NodeJS.ErrnoException, shown);
  } finally {
    await handle.close();
  }
}

const tooLarge = (shown: string, size: number | undefined, maxBytes: number): FileProblem => ({
  problem: `\`${shown}\` is ${size === undefined ? '' : `${size} bytes, `}over the ${maxBytes}-byte limit`,
  hint: `raise it with ${optionRef('max-file-size', 'BYTES')}`,
});

function openProblem(error: NodeJS.ErrnoException, shown: string): FileProblem {
  switch (error.code ?? '') {
    case 'ENOENT':
      return { problem: `no such file: \`${shown}\`` };
    case 'EACCES':
    case 'EPERM':
      return { problem: `permission denied reading \`${shown}\`` };
    case 'EISDIR':
      return { problem: `\`${shown}\` is a folder, not a file` };
    case 'ENOTDIR':
      return { problem: `no such file: \`${shown}\` (a part of the path is not a folder)` };
    case 'ENXIO':
      return { problem: `\`${shown}\` is not a regular file (a socket or a device without a driver)` };
    case 'ELOOP':
      return { problem: `\`${shown}\` is a loop of symbolic links` };
    default:
      return { problem: `cannot read \`${shown}\`: ${error.message}` };
  }
}

function kindOf(info: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}) {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a plain file';
}
