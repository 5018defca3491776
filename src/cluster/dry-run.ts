import type { Manifest, WorkflowSpec } from '../argo/types.js';
import type { DiagnosticCode } from '../diagnostics/diagnostic.js';
import { optionRef } from '../diagnostics/option-names.js';
import { templateOperations } from '../forecast/template-operations.js';
import { ClusterError, type ArgoApi, type StatusCause } from './argo-api.js';
import { KubeResponseError } from './kube-client.js';

/**
 * A manifest created with a server-side dry run: the API server runs everything a create runs —
 * the CRD's schema, strict field validation, admission webhooks and policies, resource quotas,
 * the namespace's existence — and stores nothing. The service accounts its pods run as are looked
 * up too, since nothing checks them before the pods are made. Each refusal names the Polyaxon
 * operation concerned, when the API server names a field of one of its templates.
 */

export interface Refusal {
  /** Polyaxon operation names from the top dag down; empty for the pipeline as a whole. */
  operation: string[];
  code: Extract<DiagnosticCode, 'cluster-refused' | 'missing-service-account'>;
  message: string;
  hint?: string;
}

export interface DryRun {
  refusals: Refusal[];
  /** Why the cluster could not judge the manifest (credentials, connection): not the manifest's fault. */
  skipped?: string;
}

export async function dryRun(api: ArgoApi, manifest: Manifest): Promise<DryRun> {
  const operations = templateOperations(manifest);
  const spec: WorkflowSpec = manifest.kind === 'CronWorkflow' ? manifest.spec.workflowSpec : manifest.spec;
  const operationOfField = (field: string | undefined): string[] => {
    const index = /^spec\.(?:workflowSpec\.)?templates\[(\d+)\]/.exec(field ?? '')?.[1];
    const template = index === undefined ? undefined : spec.templates[Number(index)];
    return (template && operations.get(template.name)) ?? [];
  };
  const refusals: Refusal[] = [];
  try {
    await api.create(manifest, { dryRun: true });
  } catch (error) {
    if (!(error instanceof ClusterError)) throw error;
    const cannotJudge = cannotJudgeWhy(error);
    if (cannotJudge) return { refusals: [], skipped: cannotJudge };
    refusals.push(...refused(error, manifest.kind, api.namespace, operationOfField));
    // No namespace: its service accounts cannot exist either.
    if (error.status === 404) return { refusals };
  }
  refusals.push(...(await missingServiceAccounts(api, spec, operations)));
  return { refusals };
}

/** Failures that say nothing about the manifest: the credentials, the connection, an overloaded server. */
function cannotJudgeWhy(error: ClusterError): string | undefined {
  const quotaOrAdmission = /exceeded quota|admission|denied the request/i.test(error.message);
  if (
    error.connection !== undefined ||
    error.status === undefined ||
    error.status === 401 ||
    error.status === 429 ||
    error.status >= 500 ||
    (error.status === 403 && !quotaOrAdmission)
  )
    return error.message;
  return undefined;
}

function refused(
  error: ClusterError,
  kind: Manifest['kind'],
  namespace: string,
  operationOfField: (field: string | undefined) => string[],
): Refusal[] {
  const detail = error.message.replace(/^cannot dry-run create the \w+: /, '');
  if (error.status === 404)
    return [
      {
        operation: [],
        code: 'cluster-refused',
        message: `the cluster has no namespace \`${namespace}\`, or not Argo's CRDs: ${detail}`,
        hint: `create the namespace (and install Argo Workflows), or set ${optionRef('namespace')} to one that exists`,
      },
    ];
  // The API server adds a cause with no field ("<nil>") saying the CEL rules were skipped
  // because of the others: it is not a problem of its own.
  const causes: StatusCause[] = error.causes.filter(
    (cause) => (cause.field || cause.message) && !/some validation rules were not checked/.test(cause.message ?? ''),
  );
  // Strict field validation names unknown fields in the message only.
  const unknown = [...detail.matchAll(/unknown field "([^"]+)"/g)].map((m) => ({
    field: m[1],
    message: 'unknown field',
  }));
  const fields = causes.length ? causes : unknown;
  if (!fields.length)
    return [{ operation: [], code: 'cluster-refused', message: `the cluster refuses the ${kind}: ${detail}` }];
  return fields.map((cause) => ({
    operation: operationOfField(cause.field),
    code: 'cluster-refused',
    message: `the cluster refuses the ${kind}: ${cause.field ? `${cause.field}: ` : ''}${cause.message ?? detail}`,
  }));
}

/** The service accounts the pods run as (`default` unless set), each looked up once. */
async function missingServiceAccounts(
  api: ArgoApi,
  spec: WorkflowSpec,
  operations: Map<string, string[]>,
): Promise<Refusal[]> {
  const users = new Map<string, string[]>();
  const workflowAccount = (spec as { serviceAccountName?: string }).serviceAccountName;
  for (const template of spec.templates) {
    if (template.dag || template.suspend) continue;
    const account = template.serviceAccountName ?? workflowAccount ?? 'default';
    if (!users.has(account))
      users.set(account, template.serviceAccountName ? (operations.get(template.name) ?? []) : []);
  }
  const refusals: Refusal[] = [];
  for (const [account, operation] of users) {
    const path = `/api/v1/namespaces/${encodeURIComponent(api.namespace)}/serviceaccounts/${encodeURIComponent(account)}`;
    try {
      await api.client.json('GET', path);
    } catch (error) {
      // Only a 404 says it is missing; credentials that may not read service accounts tell nothing.
      if (!(error instanceof KubeResponseError) || error.status !== 404) continue;
      refusals.push({
        operation,
        code: 'missing-service-account',
        message: `the pods would run as service account \`${account}\`, which does not exist in namespace \`${api.namespace}\`: Argo could not create them`,
        hint: `create it (\`kubectl create serviceaccount ${account} -n ${api.namespace}\`) or name one that exists in \`environment.serviceAccountName\``,
      });
    }
  }
  return refusals;
}
