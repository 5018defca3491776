import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { optionRef } from '../diagnostics/option-names.js';
import { downloadText, type Resolver } from './fetch-url.js';
import { readRegularFile } from './read-file.js';

/**
 * Where referenced components come from. The resolver only sees this interface, so tests and
 * the GitHub Action can serve files their own way; `createLoader` is the real one.
 */
export interface LoadedText {
  /** Name shown in diagnostics (a relative path or the URL). */
  name: string;
  absolutePath?: string;
  text: string;
}

export interface Loader {
  readPath(absolutePath: string): Promise<LoadedText>;
  readHub(reference: string): Promise<LoadedText>;
  readUrl(url: string): Promise<LoadedText>;
}

export interface LoaderOptions {
  /** Folder holding hub components: `NAME.yaml`, or `NAME/VERSION.yaml` for `NAME:VERSION`. */
  hubDir?: string;
  /** Refuse `urlRef` instead of fetching it. */
  offline?: boolean;
  /** Largest file read or downloaded, in bytes. */
  maxBytes?: number;
  /** Download time limit in milliseconds. */
  timeoutMs?: number;
  /** Base for display names, normally the working directory. */
  cwd?: string;
  /** Allow urlRefs over http:// and to private, loopback and link-local addresses. */
  allowPrivateUrls?: boolean;
  /** pathRefs may not leave this folder (the repository), symbolic links included. */
  rootDir?: string;
  /** How urlRef host names are resolved (DNS by default; tests pass a stub). */
  resolve?: Resolver;
}

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** A failure the resolver turns into a located diagnostic. */
export class LoadError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function createLoader(options: LoaderOptions = {}): Loader {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const cwd = options.cwd ?? process.cwd();
  const display = (file: string) => path.relative(cwd, file) || file;

  /** The real path of `file` if it stays inside `root` (links resolved), else a LoadError. */
  async function confined(file: string, root: string, what: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      return file; // missing: reported by the read that follows
    }
    const base = await realpath(root).catch(() => path.resolve(root));
    if (real !== base && !real.startsWith(base + path.sep)) {
      throw new LoadError(
        `${what} \`${display(file)}\` is outside ${display(base) === '' ? 'the repository' : `\`${display(base)}\``}, which references may not leave`,
        'keep referenced components inside the repository',
      );
    }
    return real;
  }

  /** A regular file within the size cap: a FIFO or a device is refused without being read. */
  async function readLocal(file: string): Promise<LoadedText> {
    const read = await readRegularFile(file, maxBytes, display(file));
    if (!Buffer.isBuffer(read)) throw new LoadError(read.problem, read.hint);
    try {
      return { name: display(file), absolutePath: file, text: new TextDecoder('utf-8', { fatal: true }).decode(read) };
    } catch {
      throw new LoadError(`\`${display(file)}\` is not valid UTF-8 text`, 'save the file as UTF-8');
    }
  }

  return {
    async readPath(file) {
      if (options.rootDir) await confined(file, options.rootDir, 'pathRef');
      return readLocal(file);
    },

    async readHub(reference) {
      if (!options.hubDir)
        throw new LoadError(
          `cannot resolve hubRef \`${reference}\` without a hub directory`,
          `pass ${optionRef('hub', 'DIR')} with a folder holding \`NAME.yaml\` (or \`NAME/VERSION.yaml\` for \`NAME:VERSION\`), or add an inline \`component:\` next to the hubRef`,
        );
      const [name, version] = reference.split(':', 2) as [string, string | undefined];
      if (
        !/^[-\w.]+(\/[-\w.]+)?$/.test(name) ||
        name.split('/').some((p) => p === '..' || p === '.') ||
        (version !== undefined && !/^[-\w.]+$/.test(version))
      ) {
        throw new LoadError(`hubRef \`${reference}\` is not of the form \`[owner/]name[:version]\``);
      }
      const root = path.resolve(options.hubDir);
      // Polyaxon's registry reads `NAME/latest.yaml` for a version-less `hubRef: NAME`: a hub laid out
      // that way (or with `NAME.yaml`) reads the same here.
      const candidates = version
        ? [`${name}/${version}.yaml`, `${name}/${version}.yml`]
        : [`${name}.yaml`, `${name}.yml`, `${name}/latest.yaml`, `${name}/latest.yml`];
      for (const candidate of candidates) {
        const file = path.join(root, candidate);
        try {
          await confined(file, root, 'hubRef');
          return await readLocal(file);
        } catch (error) {
          if (!(error instanceof LoadError) || !error.message.includes('no such file')) throw error;
        }
      }
      throw new LoadError(
        `hubRef \`${reference}\` is not in the hub directory \`${display(root)}\` (looked for ${candidates.map((c) => `\`${c}\``).join(' and ')})`,
      );
    },

    async readUrl(url) {
      if (options.offline)
        throw new LoadError(
          `urlRef \`${url}\` needs a download, refused by ${optionRef('offline')}`,
          `drop ${optionRef('offline')}, or vendor the component and use \`pathRef\``,
        );
      const text = await downloadText(url, {
        allowPrivate: options.allowPrivateUrls ?? false,
        maxBytes,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(options.resolve ? { resolve: options.resolve } : {}),
      });
      if (typeof text !== 'string')
        throw new LoadError(
          `${text.refused ? `urlRef \`${url}\` refused` : `cannot download urlRef \`${url}\``}: ${text.failure}`,
          text.hint,
        );
      return { name: url, text };
    },
  };
}
