import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { optionRef } from '../diagnostics/option-names.js';
import { checkUrl } from './url-policy.js';

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
}

const MAX_REDIRECTS = 3;

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

  async function readLocal(file: string): Promise<LoadedText> {
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new LoadError(`\`${display(file)}\` is not a file`);
      size = info.size;
    } catch (error) {
      if (error instanceof LoadError) throw error;
      throw new LoadError(
        `cannot read \`${display(file)}\`: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    }
    if (size > maxBytes) throw new LoadError(`\`${display(file)}\` is ${size} bytes, over the ${maxBytes}-byte limit`);
    return { name: display(file), absolutePath: file, text: await readFile(file, 'utf8') };
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
      const candidates = version
        ? [`${name}/${version}.yaml`, `${name}/${version}.yml`]
        : [`${name}.yaml`, `${name}.yml`];
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
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new LoadError(`urlRef \`${url}\` is not a valid URL`);
      }
      const policy = { allowPrivate: options.allowPrivateUrls ?? false };
      const signal = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      let response: Response | undefined;
      // Redirects are followed by hand, so every hop passes the same checks as the first URL.
      for (let hop = 0; ; hop++) {
        const refused = await checkUrl(parsed, policy);
        if (refused)
          throw new LoadError(
            `urlRef \`${url}\` refused${hop ? ` (redirected to ${parsed.href})` : ''}: ${refused}`,
            'vendor the component in the repository and use `pathRef`',
          );
        try {
          response = await fetch(parsed, { signal, redirect: 'manual' });
        } catch (error) {
          const reason =
            (error as Error).name === 'TimeoutError'
              ? `no answer within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
              : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
          throw new LoadError(`cannot download urlRef \`${url}\`: ${reason}`);
        }
        const location = response.headers.get('location');
        if (response.status < 300 || response.status >= 400 || !location) break;
        if (hop === MAX_REDIRECTS)
          throw new LoadError(`cannot download urlRef \`${url}\`: more than ${MAX_REDIRECTS} redirects`);
        await response.body?.cancel();
        parsed = new URL(location, parsed);
      }
      if (!response.ok) throw new LoadError(`cannot download urlRef \`${url}\`: HTTP ${response.status}`);
      const text = await readCapped(response, maxBytes, url);
      return { name: url, text };
    },
  };
}

/** Reads a response body, stopping as soon as it exceeds the cap. */
async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new LoadError(`urlRef \`${url}\` is over the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
