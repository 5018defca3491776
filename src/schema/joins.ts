import { z } from 'zod';
import { laxBool, refOr, strict } from './primitives.js';
import { envVarName } from './k8s.js';

/** zod's issue code for refinements (our diagnostic code goes in `params.code`). */
const ZOD_CUSTOM = 'custom' as const;

/**
 * What a join param may read from each matched run, as Polyaxon parses it (V1Param.get_spec):
 * `inputs`, `outputs`, `io` or `artifacts` whole; `inputs.X`, `outputs.X`, `artifacts.X` or
 * `globals.X`; `artifacts.X.Y`; or an artifacts `{files, dirs}` mapping.
 */
function joinValueProblem(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  if (typeof value !== 'string')
    return 'a join param reads `outputs.NAME`, `inputs.NAME`, `artifacts.NAME` or `globals.NAME` of each run';
  const open = value.indexOf('{{');
  const close = value.lastIndexOf('}}');
  const inner = open !== -1 && close > open + 2 ? value.slice(open + 2, close) : value;
  const parts = inner
    .trim()
    .split('.')
    .map((part) => part.trim());
  if (parts.length > 3) return `\`${value}\` has more than three parts`;
  if (parts.length === 1 && !['inputs', 'outputs', 'io', 'artifacts'].includes(parts[0]!))
    return `\`${value}\` must be one of \`inputs\`, \`outputs\`, \`io\`, \`artifacts\` or a field of one`;
  if (parts.length === 2 && !['inputs', 'outputs', 'artifacts', 'globals'].includes(parts[0]!))
    return `\`${parts[0]}\` in \`${value}\` must be \`inputs\`, \`outputs\`, \`artifacts\` or \`globals\``;
  if (parts.length === 3 && parts[0] !== 'artifacts')
    return `only \`artifacts\` values have three parts, not \`${value}\``;
  return undefined;
}

/** A join param: like a V1Param but always full form (spec §8.10), its value a reference into each run. */
const joinParam = strict({
  // Polyaxon takes a join param without a value (it then reads nothing).
  value: z.unknown().optional(),
  ref: z.string().optional(),
  contextOnly: laxBool.optional(),
  connection: z.string().optional(),
  toInit: laxBool.optional(),
  toEnv: envVarName.optional(),
}).superRefine((param, context) => {
  const problem = param.value === undefined ? undefined : joinValueProblem(param.value);
  if (problem)
    context.addIssue({
      code: ZOD_CUSTOM,
      path: ['value'],
      message: problem,
      params: { code: 'invalid-ref-value', hint: 'e.g. `value: outputs.loss`' },
    });
});

/** V1Join: collect values from runs matched by a query; creates no dag edge. */
export const join = strict({
  query: z.string().min(1),
  sort: z.string().optional(),
  limit: refOr(z.int().positive().max(5000)).optional(),
  offset: refOr(z.int().nonnegative()).optional(),
  ref: z.string().optional(),
  params: z.record(z.string(), joinParam).optional(),
});
export type Join = z.infer<typeof join>;
