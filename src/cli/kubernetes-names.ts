/**
 * The names `--name`, `--generate-name` and `--namespace` give, checked as the cluster will:
 * Kubernetes' DNS-1123 rules, and Argo's own length limits (a workflow's name becomes a label
 * value, at most 63 characters; a CronWorkflow's names its runs with an 11-character suffix, so
 * it may have 52). Returns what is wrong, as a sentence, or undefined.
 */

/** Kubernetes adds 5 random characters to a generateName prefix. */
export const GENERATED_SUFFIX = 5;

/** The longest `metadata.name` Argo accepts for each kind it creates. */
export const MAX_NAME_LENGTH = { Workflow: 63, WorkflowTemplate: 63, CronWorkflow: 52 } as const;
export type NamedKind = keyof typeof MAX_NAME_LENGTH;

const LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** A namespace: a DNS-1123 label. */
export function namespaceProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; a namespace has at most 63`;
  return labelProblem(value, 'a namespace');
}

/** `metadata.name` of a `kind`: a DNS-1123 subdomain within Argo's length. */
export function nameProblem(value: string, kind: NamedKind): string | undefined {
  const max = MAX_NAME_LENGTH[kind];
  if (value.length > max) return `is ${value.length} characters long; Argo accepts at most ${max} for a ${kind} name`;
  return subdomainProblem(value, 'a name');
}

/**
 * A generateName prefix as transpile writes it (a `-` is added unless it ends with one): a
 * DNS-1123 subdomain once Kubernetes appends its 5 characters, within Argo's length.
 */
export function generateNameProblem(value: string, kind: NamedKind): string | undefined {
  const prefix = value.endsWith('-') ? value : `${value}-`;
  const max = MAX_NAME_LENGTH[kind] - GENERATED_SUFFIX;
  if (prefix.length > max)
    return `gives the prefix \`${prefix}\` of ${prefix.length} characters; with the 5 Kubernetes adds, a ${kind} name has at most ${MAX_NAME_LENGTH[kind]}, so the prefix at most ${max}`;
  return subdomainProblem(`${prefix}xxxxx`, 'a name prefix');
}

function subdomainProblem(value: string, what: string): string | undefined {
  if (value === '') return `is empty; ${what} needs at least one character`;
  for (const label of value.split('.')) {
    const problem = labelProblem(label, what);
    if (problem) return problem;
  }
  return undefined;
}

function labelProblem(label: string, what: string): string | undefined {
  if (LABEL.test(label)) return undefined;
  if (label === '') return `has an empty part between dots; ${what} cannot start or end with \`.\` or hold \`..\``;
  if (/[A-Z]/.test(label)) return `has upper-case letters; ${what} is lower case (\`${label.toLowerCase()}\`)`;
  const bad = (what === 'a namespace' ? /[^-a-z0-9]/ : /[^-a-z0-9.]/).exec(label);
  if (bad)
    return `holds \`${bad[0]}\`; ${what} may hold only lower-case letters, digits, \`-\`${what === 'a namespace' ? '' : ' and `.`'}`;
  return `must start and end with a letter or a digit`;
}
