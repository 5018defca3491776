import type { Template } from '../argo/types.js';
import type { Path } from '../parse/source.js';
import type { Environment } from '../schema/environment.js';
import type { LowerContext } from './context.js';
import type { Origin } from '../resolve/model.js';

export const UNTRANSLATED_ENVIRONMENT =
  'templates (`{{ … }}`) in `environment` are not translated, and Argo would evaluate them as its own';

/**
 * A merged Polyaxon environment → the pod fields of an Argo template. Fields with a template
 * equivalent go there; the rest (nodeName, hostNetwork, hostPID, dnsPolicy, dnsConfig,
 * priority, imagePullSecrets) are merged into the pod through `podSpecPatch`.
 */
export function environmentToTemplate(
  environment: Environment | string | undefined,
  origin: Origin,
  at: Path,
  context: LowerContext,
): Partial<Template> {
  if (environment === undefined) return {};
  if (typeof environment === 'string') {
    context.unsupported(
      origin,
      at,
      'a templated `environment` cannot be resolved before the run',
      'write the environment out in the file',
    );
    return {};
  }
  if (JSON.stringify(environment).includes('{{')) {
    // Argo would expand such text as its own tags: refuse it rather than let it be evaluated.
    context.unsupported(
      origin,
      at,
      UNTRANSLATED_ENVIRONMENT,
      'write the values out; pass run-time values to the container through params',
    );
    return {};
  }
  const out: Partial<Template> = {};
  if (environment.labels || environment.annotations) {
    out.metadata = {
      ...(environment.labels ? { labels: environment.labels } : {}),
      ...(environment.annotations ? { annotations: environment.annotations } : {}),
    };
  }
  if (environment.nodeSelector) out.nodeSelector = environment.nodeSelector;
  if (environment.affinity) out.affinity = environment.affinity;
  if (environment.tolerations) out.tolerations = environment.tolerations;
  if (environment.serviceAccountName) out.serviceAccountName = environment.serviceAccountName;
  if (environment.securityContext) out.securityContext = environment.securityContext;
  if (environment.priorityClassName) out.priorityClassName = environment.priorityClassName;
  if (environment.schedulerName) out.schedulerName = environment.schedulerName;
  if (environment.hostAliases) out.hostAliases = environment.hostAliases;
  if (environment.restartPolicy && environment.restartPolicy !== 'Never') {
    context.unsupported(
      origin,
      [...at, 'restartPolicy'],
      `\`restartPolicy: ${environment.restartPolicy}\`: Argo runs every step in a pod that is never restarted`,
      'use `termination.maxRetries` to retry a failed operation',
    );
  }
  const patch: Record<string, unknown> = {};
  if (environment.nodeName) patch.nodeName = environment.nodeName;
  if (environment.hostNetwork !== undefined) patch.hostNetwork = environment.hostNetwork;
  if (environment.hostPID !== undefined) patch.hostPID = environment.hostPID;
  if (environment.dnsPolicy) patch.dnsPolicy = environment.dnsPolicy;
  if (environment.dnsConfig) patch.dnsConfig = environment.dnsConfig;
  if (environment.priority !== undefined) patch.priority = environment.priority;
  if (environment.imagePullSecrets?.length)
    patch.imagePullSecrets = environment.imagePullSecrets.map((name) => ({ name }));
  if (Object.keys(patch).length) out.podSpecPatch = JSON.stringify(patch);
  return out;
}
