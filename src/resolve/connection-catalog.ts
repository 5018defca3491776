import { diagnostic } from '../diagnostics/diagnostic.js';
import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseSource } from '../parse/parse-source.js';
import type { SourceFile } from '../parse/source.js';
import { issuesToDiagnostics } from '../schema/issues.js';
import { k8sObject } from '../schema/k8s.js';
import { strict } from '../schema/primitives.js';

/**
 * The connections catalog (`--connections FILE`): what each connection name used in a
 * Polyaxonfile means on the cluster, as a Polyaxon agent's config would say it.
 *
 *   connections:
 *   - name: training-data          # the name Polyaxonfiles use
 *     kind: s3                      # free text, informational
 *     schema: {bucket: s3://data}   # values for {{ connections.training-data.bucket }}
 *     secret: {name: aws-creds}     # envFrom the secret, or mounted when mountPath is set
 *     configMap: {name: s3-config, mountPath: /etc/s3}
 *     env: [{name: AWS_REGION, value: eu-west-1}]
 *
 * Kinds `volume_claim` and `host_path` mount a volume: schema {mountPath, volumeClaim | hostPath, readOnly}.
 */

const mountable = strict({
  name: z.string().min(1),
  mountPath: z.string().optional(),
  items: z.array(k8sObject).optional(),
});

const connection = strict({
  name: z.string().min(1),
  kind: z.string().min(1),
  description: z.string().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
  secret: mountable.optional(),
  configMap: mountable.optional(),
  env: z.array(strict({ name: z.string().min(1), value: z.string() })).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Connection = z.infer<typeof connection>;

const catalogSchema = strict({ connections: z.array(connection) });

export interface ConnectionCatalog {
  source: SourceFile;
  byName: Map<string, Connection>;
}

export function readConnectionCatalog(
  name: string,
  text: string,
): { catalog?: ConnectionCatalog; diagnostics: Diagnostic[] } {
  const parsed = parseSource(name, text);
  if (!parsed.source) return { diagnostics: parsed.diagnostics };
  const result = catalogSchema.safeParse(parsed.source.value);
  if (!result.success)
    return { diagnostics: [...parsed.diagnostics, ...issuesToDiagnostics(result.error.issues, parsed.source)] };
  const byName = new Map<string, Connection>();
  const diagnostics = [...parsed.diagnostics];
  result.data.connections.forEach((c, i) => {
    if (byName.has(c.name))
      diagnostics.push(
        diagnostic({
          code: 'duplicate-connection',
          message: `connection \`${c.name}\` is defined twice`,
          location: { file: name, line: 1, column: 1 },
          field: `connections[${i}].name`,
        }),
      );
    byName.set(c.name, c);
  });
  return { catalog: { source: parsed.source, byName }, diagnostics };
}
