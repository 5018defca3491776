import type { PodSettings } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Environment } from '../../schema/environment.js';
import type { BindContext, Origin } from './context.js';
import { checkLabels, checkAnnotations } from './kubernetes.js';
import { built, checkPlain } from './plain.js';

export type PodFields = Omit<PodSettings, 'retries' | 'activeDeadlineSeconds' | 'memoize' | 'semaphore'>;

/**
 * A merged Polyaxon environment (spec §6.4) → the pod fields of an Argo template. Fields with a
 * template equivalent go there; the rest (nodeName, hostNetwork, hostPID, dnsPolicy, dnsConfig,
 * priority, imagePullSecrets) are merged into the pod through `podSpecPatch`.
 */
export function bindEnvironment(
  environment: Environment | string | undefined,
  context: BindContext,
  origin: Origin,
  at: Path,
  /** A Kubeflow replica's pods do restart: its `restartPolicy` is the replica's. */
  replica = false,
): PodFields | undefined {
  if (environment === undefined) return { labels: {}, annotations: {} };
  if (typeof environment === 'string') {
    context.templated(origin, at, 'environment');
    return undefined;
  }
  const checked = checkPlain(environment, context, origin, at, '`environment`');
  if (!checked) return undefined;
  if (checked.labels) checkLabels(checked.labels, context, origin, [...at, 'labels']);
  if (checked.annotations) checkAnnotations(checked.annotations, context, origin, [...at, 'annotations']);
  if (!replica && checked.restartPolicy && checked.restartPolicy !== 'Never')
    context.unsupported(
      origin,
      [...at, 'restartPolicy'],
      `\`restartPolicy: ${checked.restartPolicy}\`: Argo runs every step in a pod that is never restarted`,
      'use `termination.maxRetries` to retry a failed operation',
    );
  const patch: Record<string, unknown> = {};
  if (checked.nodeName) patch.nodeName = checked.nodeName;
  if (checked.hostNetwork !== undefined) patch.hostNetwork = checked.hostNetwork;
  if (checked.hostPID !== undefined) patch.hostPID = checked.hostPID;
  if (checked.dnsPolicy) patch.dnsPolicy = checked.dnsPolicy;
  if (checked.dnsConfig) patch.dnsConfig = checked.dnsConfig;
  if (checked.priority !== undefined) patch.priority = checked.priority;
  if (checked.imagePullSecrets?.length) patch.imagePullSecrets = checked.imagePullSecrets.map((name) => ({ name }));
  const fields: PodFields = {
    labels: { ...checked.labels },
    annotations: { ...checked.annotations },
    ...(checked.nodeSelector ? { nodeSelector: checked.nodeSelector } : {}),
    ...(checked.affinity ? { affinity: built(checked.affinity) } : {}),
    ...(checked.tolerations ? { tolerations: checked.tolerations.map(built) } : {}),
    ...(checked.serviceAccountName ? { serviceAccountName: checked.serviceAccountName } : {}),
    ...(checked.securityContext ? { securityContext: built(checked.securityContext) } : {}),
    ...(checked.priorityClassName ? { priorityClassName: checked.priorityClassName } : {}),
    ...(checked.schedulerName ? { schedulerName: checked.schedulerName } : {}),
    ...(checked.hostAliases ? { hostAliases: checked.hostAliases.map(built) } : {}),
    ...(Object.keys(patch).length ? { podSpecPatch: built(patch) } : {}),
  };
  return fields;
}
