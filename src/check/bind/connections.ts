import { CONNECTION_VOLUME_PREFIX } from '../../argo/contract.js';
import { literal } from '../../argo/text.js';
import type { Checked } from '../../model/checked.js';
import type { BoundEnvVar } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Connection } from '../../resolve/connection-catalog.js';
import type { ResolvedOperation } from '../../resolve/model.js';
import type { IO } from '../../schema/io.js';
import { hasJinja, isJinjaError, parseTemplate } from './jinja.js';
import type { BindContext, Origin } from './context.js';
import { built, checkPlain } from './plain.js';

/** What attaching connections adds to a pod. */
export interface ConnectionMounts {
  env: BoundEnvVar[];
  envFrom: Checked[];
  volumes: Checked[];
  volumeMounts: Checked[];
}

export const noMounts = (): ConnectionMounts => ({ env: [], envFrom: [], volumes: [], volumeMounts: [] });

/**
 * Mounts every connection a run names (`run.connections`, or a resolved template of one), from
 * the connections catalog: secrets and config maps as `envFrom` (or mounted at `mountPath`),
 * volume claims and host paths mounted, `env` added. A name missing from the catalog is
 * reported at its place; the catalog's own values are checked like the file's.
 */
export function attachConnections(
  names: readonly string[],
  context: BindContext,
  origin: Origin,
  at: Path,
): ConnectionMounts {
  const out = noMounts();
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
    const mount = mountConnection(connection, context);
    if (!mount) return;
    out.env.push(...mount.env);
    out.envFrom.push(...mount.envFrom);
    out.volumes.push(...mount.volumes);
    out.volumeMounts.push(...mount.volumeMounts);
  });
  return out;
}

function mountConnection(c: Connection, context: BindContext): ConnectionMounts | undefined {
  const catalog = context.options.connections;
  if (!catalog) return undefined;
  // The catalog's values go into the manifest too: checked at their place in the catalog.
  const where: Path = ['connections', [...catalog.byName.keys()].indexOf(c.name)];
  // Schema values reach containers through `{{ connections.NAME.KEY }}`, translated where they are
  // used; what is mounted goes into the pod as it is.
  const mounted = Object.fromEntries(['mountPath', 'volumeClaim', 'hostPath'].map((key) => [key, c.schema?.[key]]));
  const plain = checkPlain(
    { secret: c.secret, configMap: c.configMap, schema: mounted },
    context,
    catalog,
    where,
    `connection \`${c.name}\``,
  );
  if (!plain) return undefined;
  const out = noMounts();
  for (const variable of c.env ?? []) out.env.push({ name: variable.name, value: literal(variable.value) });
  const volumeName = `${CONNECTION_VOLUME_PREFIX}${c.name}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
  const push = (volume: Record<string, unknown>, mount: Record<string, unknown>) => {
    out.volumes.push(built(volume));
    out.volumeMounts.push(built(mount));
  };
  if (c.secret) {
    if (c.secret.mountPath)
      push(
        {
          name: `${volumeName}-secret`.slice(0, 63),
          secret: { secretName: c.secret.name, ...(c.secret.items ? { items: c.secret.items } : {}) },
        },
        { name: `${volumeName}-secret`.slice(0, 63), mountPath: c.secret.mountPath, readOnly: true },
      );
    else out.envFrom.push(built({ secretRef: { name: c.secret.name } }));
  }
  if (c.configMap) {
    if (c.configMap.mountPath)
      push(
        {
          name: `${volumeName}-config`.slice(0, 63),
          configMap: { name: c.configMap.name, ...(c.configMap.items ? { items: c.configMap.items } : {}) },
        },
        { name: `${volumeName}-config`.slice(0, 63), mountPath: c.configMap.mountPath, readOnly: true },
      );
    else out.envFrom.push(built({ configMapRef: { name: c.configMap.name } }));
  }
  const schema = c.schema ?? {};
  if ((c.kind === 'volume_claim' || c.kind === 'host_path') && typeof schema.mountPath === 'string') {
    const source =
      c.kind === 'volume_claim'
        ? { persistentVolumeClaim: { claimName: String(schema.volumeClaim), readOnly: Boolean(schema.readOnly) } }
        : { hostPath: { path: String(schema.hostPath) } };
    push(
      { name: volumeName, ...source },
      { name: volumeName, mountPath: schema.mountPath, ...(schema.readOnly ? { readOnly: true } : {}) },
    );
  }
  return out;
}

/**
 * Connection names as Polyaxon renders them before the run (spec §5.7: `connections` is rendered
 * with the operation's params): `{{ params.NAME.connection }}` is the connection of param NAME
 * (its own, else its input's), `{{ NAME }}` a param's literal value. A name only known while
 * the workflow runs cannot attach anything to a pod: refused.
 */
export function renderConnectionNames(
  names: readonly string[],
  compiled: { op: ResolvedOperation; component: { inputs?: readonly IO[] | undefined } },
  context: BindContext,
  origin: Origin,
  at: Path,
): string[] {
  return names.flatMap((name, index) => {
    if (!hasJinja(name)) return [name];
    const where = [...at, index];
    const parts = parseTemplate(name);
    const refuse = (message: string) => {
      context.report(origin, where, 'untranslatable-template', message, {
        anchor: 'value',
        hint: 'name the connection, or pass it through a param with a literal `connection:`',
      });
      return [];
    };
    if (isJinjaError(parts)) return refuse(parts.error);
    let rendered = '';
    for (const part of parts) {
      if (part.kind === 'text') {
        rendered += part.text;
        continue;
      }
      const path = part.expression.kind === 'reference' ? part.expression.path : [];
      const param = path[0] === 'params' && path.length === 3 ? path[1] : path.length === 1 ? path[0] : undefined;
      const located = param !== undefined ? compiled.op.params.get(param) : undefined;
      const io = compiled.component.inputs?.find((i) => i.name === param);
      if (path[0] === 'params' && path[2] === 'connection') {
        const connection = located?.param.connection ?? io?.connection;
        if (connection === undefined)
          return refuse(`\`{{ ${part.source} }}\`: param \`${param}\` has no \`connection\``);
        rendered += connection;
      } else if (
        located &&
        located.param.ref === undefined &&
        typeof located.param.value === 'string' &&
        (path.length === 1 || path[2] === 'value')
      ) {
        rendered += located.param.value;
      } else
        return refuse(
          `\`{{ ${part.source} }}\` in a connection name is only known while the workflow runs; Argo attaches connections before`,
        );
    }
    return [rendered];
  });
}
