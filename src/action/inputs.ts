import path from 'node:path';
import { z } from 'zod';
import { parseProjectName } from '../check/bind/project.js';

/**
 * Every input of action.yml, read and checked in one place. All problems are reported
 * together, naming the input and what it accepts.
 */

const bool = (name: string) =>
  z.string().transform((value, ctx) => {
    if (/^(true|True|TRUE)$/.test(value)) return true;
    if (/^(false|False|FALSE)$/.test(value)) return false;
    ctx.addIssue({ code: 'custom', message: `input \`${name}\` must be true or false, got \`${value}\`` });
    return z.NEVER;
  });

function positiveInt(name: string) {
  return z.string().transform((value, ctx) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      ctx.addIssue({
        code: 'custom',
        message: `input \`${name}\` must be a positive number of seconds, got \`${value}\``,
      });
    return n;
  });
}

const lines = (value: string) =>
  value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

const config = z.object({
  mode: z.enum(['validate', 'transpile', 'submit'], {
    error: (issue) => `input \`mode\` must be validate, transpile or submit, got \`${String(issue.input)}\``,
  }),
  files: z
    .string()
    .transform(lines)
    .pipe(z.array(z.string()).min(1, { error: 'input `files` needs at least one glob' })),
  exclude: z.string().transform(lines),
  token: z.string(),
  hub: z.string(),
  connections: z.string(),
  offline: bool('offline'),
  params: z.string().transform((value, ctx) =>
    lines(value).map((line): ParamLine => {
      const match = PARAM_LINE.exec(line);
      if (!match) {
        ctx.addIssue({
          code: 'custom',
          message: `input \`params\`: each line must be NAME=VALUE, or FILE: NAME=VALUE for one file (FILE a path or glob), got \`${line}\``,
        });
        return { name: '', value: '' };
      }
      const [, file, name, paramValue] = match as unknown as [string, string | undefined, string, string];
      return { ...(file ? { file } : {}), name, value: paramValue };
    }),
  ),
  kind: z.enum(['workflow', 'workflow-template'], {
    error: (issue) => `input \`kind\` must be workflow or workflow-template, got \`${String(issue.input)}\``,
  }),
  project: z.string().transform((value, ctx) => {
    if (value === '') return undefined;
    const project = parseProjectName(value);
    if (!project)
      ctx.addIssue({
        code: 'custom',
        message: `input \`project\` must be OWNER/NAME or NAME (letters, digits, - and _), got \`${value}\``,
      });
    return project;
  }),
  outputDir: z.string().min(1, { error: 'input `output-dir` cannot be empty' }),
  comment: bool('comment'),
  kubeconfig: z.string(),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'input `namespace` must be a Kubernetes namespace name' }),
  generateName: z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?-?)?$/, {
    error: 'input `generate-name` must be a lowercase name prefix such as `pr-42-`',
  }),
  wait: bool('wait'),
  timeout: positiveInt('timeout'),
  checkPrefix: z.string().min(1, { error: 'input `check-prefix` cannot be empty' }),
  maxCheckRuns: z.string().transform((value, ctx) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      ctx.addIssue({ code: 'custom', message: `input \`max-check-runs\` must be a whole number, got \`${value}\`` });
    return n;
  }),
  allowForkSubmit: bool('allow-fork-submit'),
  argoUrl: z.string().refine((value) => value === '' || /^https?:\/\/\S+$/.test(value), {
    error: 'input `argo-url` must be an http(s) URL',
  }),
  argoToken: z.string(),
});
export type Config = z.infer<typeof config>;

/** One line of the `params` input: for every file, or for the files `file` (a path or glob) names. */
export interface ParamLine {
  file?: string;
  name: string;
  value: string;
}

/** `NAME=VALUE` or `FILE: NAME=VALUE`; a value may hold anything, `=` and `:` included. */
const PARAM_LINE = /^(?:([^=\s]+?):\s*)?([^=\s:]+)=(.*)$/;

/** The params for `file`: the lines for every file, overridden by those naming this one. */
export function paramsFor(file: string, params: readonly ParamLine[]): [string, string][] {
  const chosen = new Map<string, string>();
  for (const line of params) if (!line.file) chosen.set(line.name, line.value);
  for (const line of params)
    if (line.file && (line.file === file || path.posix.matchesGlob(file, line.file))) chosen.set(line.name, line.value);
  return [...chosen];
}

/** Defaults, as action.yml declares them; `readInput` returns '' for an input not given. */
export const DEFAULTS: Record<string, string> = {
  mode: 'validate',
  files: '**/*.yaml\n**/*.yml\n**/*.json',
  offline: 'false',
  kind: 'workflow',
  'output-dir': 'argo-manifests',
  comment: 'true',
  namespace: 'default',
  wait: 'true',
  timeout: '3600',
  'check-prefix': 'argo',
  'max-check-runs': '50',
  'allow-fork-submit': 'false',
};

/** Reads the inputs through `readInput` (core.getInput in the action) and checks them all. */
export function parseInputs(readInput: (name: string) => string): { config?: Config; errors: string[] } {
  const get = (name: string) => readInput(name) || DEFAULTS[name] || '';
  const result = config.safeParse({
    mode: get('mode'),
    files: get('files'),
    exclude: get('exclude'),
    token: get('token'),
    hub: get('hub'),
    connections: get('connections'),
    offline: get('offline'),
    params: get('params'),
    kind: get('kind'),
    project: get('project'),
    outputDir: get('output-dir'),
    comment: get('comment'),
    kubeconfig: get('kubeconfig'),
    namespace: get('namespace'),
    generateName: get('generate-name'),
    wait: get('wait'),
    timeout: get('timeout'),
    checkPrefix: get('check-prefix'),
    maxCheckRuns: get('max-check-runs'),
    argoUrl: get('argo-url'),
    argoToken: get('argo-token'),
    allowForkSubmit: get('allow-fork-submit'),
  });
  if (result.success) return { config: result.data, errors: [] };
  return { errors: result.error.issues.map((issue) => issue.message) };
}
