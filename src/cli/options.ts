import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../resolve/loader.js';
import { parseProjectName, type ProjectName } from '../check/bind/project.js';
import { UsageError } from './exit-codes.js';

/** Options every command that reads Polyaxonfiles shares. */
export const READ_OPTIONS = {
  hub: { type: 'string' },
  offline: { type: 'boolean' },
  param: { type: 'string', multiple: true, short: 'P' },
  'max-file-size': { type: 'string' },
  'url-timeout': { type: 'string' },
  root: { type: 'string' },
  'allow-private-urls': { type: 'boolean' },
  format: { type: 'string' },
  diagnostics: { type: 'string' },
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
  timeoutMs: number;
}

/** `parseArgs` with our error wording: every mistake becomes a UsageError. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[\w+\]: /, '').split('\n')[0]);
  }
}

export function readOptions(values: {
  hub?: string | undefined;
  root?: string | undefined;
  offline?: boolean | undefined;
  'allow-private-urls'?: boolean | undefined;
  param?: string[] | undefined;
  'max-file-size'?: string | undefined;
  'url-timeout'?: string | undefined;
}): ReadOptions {
  const params = (values.param ?? []).map((assignment): [string, string] => {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects NAME=VALUE, got \`${assignment}\``);
    return [assignment.slice(0, eq), assignment.slice(eq + 1)];
  });
  const maxBytes = positiveNumber('max-file-size', values['max-file-size'], 'a positive number of bytes', true);
  const timeout = positiveNumber('url-timeout', values['url-timeout'], 'a positive number of seconds', false);
  return {
    ...(values.hub ? { hubDir: values.hub } : {}),
    ...(values.root ? { rootDir: values.root } : {}),
    offline: Boolean(values.offline),
    allowPrivateUrls: Boolean(values['allow-private-urls']),
    params,
    maxBytes: maxBytes ?? DEFAULT_MAX_BYTES,
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : Math.round(timeout * 1000),
  };
}

function positiveNumber(flag: string, text: string | undefined, expected: string, integer: boolean) {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value)))
    throw new UsageError(`--${flag} expects ${expected}, got \`${text}\``);
  return value;
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

export type DiagnosticsFormat = 'text' | 'json';

/**
 * How problems are printed: `--diagnostics text|json` in every command; without it, what
 * `implied` says (validate's `--format`, or json for transpile's `--format json`).
 */
export function diagnosticsFormat(
  explicit: string | undefined,
  implied: DiagnosticsFormat = 'text',
): DiagnosticsFormat {
  return oneOf('diagnostics', explicit, ['text', 'json'], implied);
}

/**
 * Whether the raw arguments ask for JSON problems, read before they are parsed so that a usage
 * error is printed as JSON too: the last `--diagnostics` value, else (validate and transpile)
 * the last `--format` value.
 */
export function asksForJson(command: string | undefined, args: readonly string[]): boolean {
  const last = (flag: string): string | undefined => {
    let value: string | undefined;
    args.forEach((arg, i) => {
      if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
      else if (arg === flag) value = args[i + 1];
    });
    return value;
  };
  const explicit = last('--diagnostics');
  if (explicit !== undefined) return explicit === 'json';
  return (command === 'validate' || command === 'transpile') && last('--format') === 'json';
}

/** `--project [OWNER/]NAME`, as transpile options. */
export function projectOption(value: string | undefined): { project?: ProjectName } {
  if (value === undefined) return {};
  const project = parseProjectName(value);
  if (!project) throw new UsageError(`--project takes OWNER/NAME or NAME (letters, digits, - and _), got \`${value}\``);
  return { project };
}
