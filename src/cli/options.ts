import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_MAX_BYTES } from '../resolve/loader.js';
import { UsageError } from './exit-codes.js';

/** Options every command that reads Polyaxonfiles shares. */
export const READ_OPTIONS = {
  hub: { type: 'string' },
  offline: { type: 'boolean' },
  param: { type: 'string', multiple: true, short: 'P' },
  'max-file-size': { type: 'string' },
  root: { type: 'string' },
  'allow-private-urls': { type: 'boolean' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export interface ReadOptions {
  hubDir?: string;
  /** Given with --root; otherwise each file's repository (see repositoryRoot). */
  rootDir?: string;
  offline: boolean;
  allowPrivateUrls: boolean;
  params: [string, string][];
  maxBytes: number;
}

/** `parseArgs` with our error wording: every mistake becomes a UsageError. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, '').split('\n')[0]!);
  }
}

export function readOptions(values: {
  hub?: string | undefined;
  root?: string | undefined;
  offline?: boolean | undefined;
  'allow-private-urls'?: boolean | undefined;
  param?: string[] | undefined;
  'max-file-size'?: string | undefined;
}): ReadOptions {
  const params = (values.param ?? []).map((assignment): [string, string] => {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects NAME=VALUE, got \`${assignment}\``);
    return [assignment.slice(0, eq), assignment.slice(eq + 1)];
  });
  let maxBytes = DEFAULT_MAX_BYTES;
  if (values['max-file-size'] !== undefined) {
    maxBytes = Number(values['max-file-size']);
    if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
      throw new UsageError(`--max-file-size expects a positive number of bytes, got \`${values['max-file-size']}\``);
  }
  return {
    ...(values.hub ? { hubDir: values.hub } : {}),
    ...(values.root ? { rootDir: values.root } : {}),
    offline: Boolean(values.offline),
    allowPrivateUrls: Boolean(values['allow-private-urls']),
    params,
    maxBytes,
  };
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got \`${value}\``);
}
