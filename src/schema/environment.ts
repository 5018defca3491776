import { z } from 'zod';
import { affinity } from './affinity.js';
import { hostAlias, k8sObject, securityContext, toleration } from './k8s.js';
import { int, laxBool, refOr, strict, stringMap } from './primitives.js';

/** V1Environment: pod-level settings of a run (spec §6.4). */
export const environment = strict({
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  nodeSelector: stringMap.optional(),
  affinity: affinity.optional(),
  tolerations: z.array(toleration).optional(),
  nodeName: z.string().optional(),
  serviceAccountName: z.string().optional(),
  hostAliases: z.array(hostAlias).optional(),
  securityContext: securityContext.optional(),
  imagePullSecrets: z.array(z.string()).optional(),
  hostNetwork: laxBool.optional(),
  hostPID: laxBool.optional(),
  dnsPolicy: z.string().optional(),
  dnsConfig: k8sObject.optional(),
  schedulerName: z.string().optional(),
  priorityClassName: z.string().optional(),
  priority: int.optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never', 'ExitCode']).optional(),
});
export type Environment = z.infer<typeof environment>;

export const environmentField = refOr(environment);
