import { z } from 'zod';

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

const lines = (value: string) => value.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));

const config = z.object({
  mode: z.enum(['validate', 'transpile'], { error: (issue) => `input \`mode\` must be validate or transpile, got \`${String(issue.input)}\`` }),
  files: z.string().transform(lines).pipe(z.array(z.string()).min(1, { error: 'input `files` needs at least one glob' })),
  token: z.string(),
  hub: z.string(),
  connections: z.string(),
  offline: bool('offline'),
  params: z.string().transform((value, ctx) =>
    lines(value).map((line): [string, string] => {
      const eq = line.indexOf('=');
      if (eq <= 0) ctx.addIssue({ code: 'custom', message: `input \`params\`: each line must be NAME=VALUE, got \`${line}\`` });
      return [line.slice(0, eq), line.slice(eq + 1)];
    }),
  ),
  kind: z.enum(['workflow', 'workflow-template'], { error: (issue) => `input \`kind\` must be workflow or workflow-template, got \`${String(issue.input)}\`` }),
  outputDir: z.string().min(1, { error: 'input `output-dir` cannot be empty' }),
  comment: bool('comment'),
});
export type Config = z.infer<typeof config>;

/** Defaults, as action.yml declares them; `readInput` returns '' for an input not given. */
export const DEFAULTS: Record<string, string> = {
  mode: 'validate',
  files: '**/polyaxonfile*.yaml\n**/polyaxonfile*.yml\n**/polyaxonfile*.json',
  offline: 'false',
  kind: 'workflow',
  'output-dir': 'argo-manifests',
  comment: 'true',
};

/** Reads the inputs through `readInput` (core.getInput in the action) and checks them all. */
export function parseInputs(readInput: (name: string) => string): { config?: Config; errors: string[] } {
  const get = (name: string) => readInput(name) || DEFAULTS[name] || '';
  const result = config.safeParse({
    mode: get('mode'),
    files: get('files'),
    token: get('token'),
    hub: get('hub'),
    connections: get('connections'),
    offline: get('offline'),
    params: get('params'),
    kind: get('kind'),
    outputDir: get('output-dir'),
    comment: get('comment'),
  });
  if (result.success) return { config: result.data, errors: [] };
  return { errors: result.error.issues.map((issue) => issue.message) };
}
