import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseSource } from '../parse/parse-source.js';
import type { Path, SourceFile } from '../parse/source.js';
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

/** What attaching a connection adds to a pod. */
export interface ConnectionMount {
  env: { name: string; value: string }[];
  envFrom: Record<string, unknown>[];
  volumes: Record<string, unknown>[];
  volumeMounts: Record<string, unknown>[];
}

export function mountConnection(c: Connection): ConnectionMount {
  const out: ConnectionMount = { env: [...(c.env ?? [])], envFrom: [], volumes: [], volumeMounts: [] };
  const volumeName = `conn-${c.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
  if (c.secret) {
    if (c.secret.mountPath) {
      out.volumes.push({
        name: `${volumeName}-secret`.slice(0, 63),
        secret: { secretName: c.secret.name, ...(c.secret.items ? { items: c.secret.items } : {}) },
      });
      out.volumeMounts.push({
        name: `${volumeName}-secret`.slice(0, 63),
        mountPath: c.secret.mountPath,
        readOnly: true,
      });
    } else {
      out.envFrom.push({ secretRef: { name: c.secret.name } });
    }
  }
  if (c.configMap) {
    if (c.configMap.mountPath) {
      out.volumes.push({
        name: `${volumeName}-config`.slice(0, 63),
        configMap: { name: c.configMap.name, ...(c.configMap.items ? { items: c.configMap.items } : {}) },
      });
      out.volumeMounts.push({
        name: `${volumeName}-config`.slice(0, 63),
        mountPath: c.configMap.mountPath,
        readOnly: true,
      });
    } else {
      out.envFrom.push({ configMapRef: { name: c.configMap.name } });
    }
  }
  const schema = c.schema ?? {};
  if ((c.kind === 'volume_claim' || c.kind === 'host_path') && typeof schema.mountPath === 'string') {
    const source =
      c.kind === 'volume_claim'
        ? { persistentVolumeClaim: { claimName: String(schema.volumeClaim), readOnly: Boolean(schema.readOnly) } }
        : { hostPath: { path: String(schema.hostPath) } };
    out.volumes.push({ name: volumeName, ...source });
    out.volumeMounts.push({
      name: volumeName,
      mountPath: schema.mountPath,
      ...(schema.readOnly ? { readOnly: true } : {}),
    });
  }
  return out;
}

/**
 * Mounts every connection a run names (`run.connections`), reporting the ones the catalog
 * does not have at their place in the file.
 */
export function attachConnections(
  names: readonly string[],
  origin: { source: SourceFile },
  at: Path,
  context: {
    options: { connections?: ConnectionCatalog };
    report: (
      origin: { source: SourceFile },
      at: Path,
      code: DiagnosticCode,
      message: string,
      extra?: { hint?: string; anchor?: 'key' | 'value' },
    ) => void;
  },
): ConnectionMount {
  const out: ConnectionMount = { env: [], envFrom: [], volumes: [], volumeMounts: [] };
  const catalog = context.options.connections;
  names.forEach((name, index) => {
    const connection = catalog?.byName.get(name);
    if (!connection) {
      context.report(
        origin,
        [...at, index],
        'unknown-connection',
        `connection \`${name}\` is not in the connections catalog`,
        {
          anchor: 'value',
          hint: catalog
            ? `catalog connections: ${[...catalog.byName.keys()].join(', ')}`
            : 'pass the catalog with `--connections FILE` (format in the README)',
        },
      );
      return;
    }
    const mount = mountConnection(connection);
    out.env.push(...mount.env);
    out.envFrom.push(...mount.envFrom);
    out.volumes.push(...mount.volumes);
    out.volumeMounts.push(...mount.volumeMounts);
  });
  return out;
}
