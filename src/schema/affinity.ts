import { z } from 'zod';
import { k8s } from './k8s.js';
import { strict, stringMap } from './primitives.js';

/**
 * A pod's affinity (Kubernetes core/v1 Affinity), checked field by field: users write it by
 * hand, its field names are long and easy to misspell, and Argo refuses unknown fields.
 */

const requirement = (operators: [string, ...string[]]) =>
  strict({ key: z.string().min(1), operator: z.enum(operators), values: z.array(z.string()).optional() });

const nodeRequirement = requirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']);
const nodeSelectorTerm = strict({
  matchExpressions: z.array(nodeRequirement).optional(),
  matchFields: z.array(nodeRequirement).optional(),
});

const labelSelector = strict({
  matchLabels: stringMap.optional(),
  matchExpressions: z.array(requirement(['In', 'NotIn', 'Exists', 'DoesNotExist'])).optional(),
});

const podAffinityTerm = strict({
  labelSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  namespaces: z.array(z.string()).optional(),
  topologyKey: z.string().min(1),
  matchLabelKeys: z.array(z.string()).optional(),
  mismatchLabelKeys: z.array(z.string()).optional(),
});

const weight = z.int().min(1).max(100);

const podAffinity = strict({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(strict({ weight, podAffinityTerm })).optional(),
});

export const affinity = k8s(
  strict({
    nodeAffinity: strict({
      requiredDuringSchedulingIgnoredDuringExecution: strict({
        nodeSelectorTerms: z.array(nodeSelectorTerm).optional(),
      }).optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z
        .array(strict({ weight, preference: nodeSelectorTerm }))
        .optional(),
    }).optional(),
    podAffinity: podAffinity.optional(),
    podAntiAffinity: podAffinity.optional(),
  }),
);
