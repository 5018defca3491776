import {
  ARTIFACTS_PATH,
  CONTEXT_PATH,
  CONTEXT_VOLUME,
  GIT_IMAGE,
  INIT_CONTAINER_PREFIX,
  SHELL_IMAGE,
} from '../../argo/contract.js';
import { concat, join, literal, type ArgoText, type Delivery } from '../../argo/text.js';
import type { BoundEnvVar, NamedContainer } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Init } from '../../schema/init.js';
import type { CompiledOperation } from './compile.js';
import { bindContainer } from './container.js';
import type { BindContext } from './context.js';
import { built } from './plain.js';
import type { TextScope } from './text.js';

/** Handlers that read Polyaxon's artifacts store, which Argo does not have. */
const STORE_HANDLERS = ['artifacts', 'paths', 'tensorboard', 'lineageRef', 'modelRef', 'artifactRef'] as const;

/**
 * Init items Argo can run as init containers (spec §6.3): git clones, files, Dockerfiles and
 * custom containers, all sharing the context volume. What an item says (URL, revision, paths,
 * content, modes…) may hold Jinja: it is translated and reaches the container as environment
 * variables its fixed script reads, so no value is ever pasted into shell code.
 */
export function bindInit(
  items: readonly Init[],
  compiled: CompiledOperation,
  scope: TextScope,
  context: BindContext,
): NamedContainer[] | undefined {
  const mark = context.mark();
  const origin = compiled.resolved;
  const containers: NamedContainer[] = [];
  items.forEach((item, index) => {
    const at: Path = [...origin.path, 'run', 'init', index];
    const text = (value: string, path: Path, delivery: Delivery = 'argv'): ArgoText | undefined => {
      const translated = scope.translate(value);
      if ('error' in translated) {
        context.report(origin, path, 'untranslatable-template', translated.error, {
          anchor: 'value',
          ...(translated.hint ? { hint: translated.hint } : {}),
        });
        return undefined;
      }
      return context.encodable(translated, delivery, origin, path);
    };
    const custom = item.container
      ? bindContainer(item.container, 'init', scope, context, origin, [...at, 'container'])
      : undefined;
    if (item.container && !custom) return;
    const target = item.path !== undefined ? text(item.path, [...at, 'path']) : undefined;
    const generated = (
      handler: string,
      image: string,
      script: string,
      env: BoundEnvVar[],
      args: ArgoText[] = [],
    ): NamedContainer => {
      const base: NamedContainer = {
        name: `${INIT_CONTAINER_PREFIX}${index}-${handler}`,
        image: literal(image),
        command: [literal('sh'), literal('-c'), literal(script), literal('sh')],
        ...(args.length ? { args } : {}),
        env,
        envFrom: [],
        volumeMounts: [built({ name: CONTEXT_VOLUME, mountPath: CONTEXT_PATH })],
        ports: [],
        other: {},
      };
      // An item's `container` adjusts the generated one (image, resources…); its own command stays.
      return custom
        ? {
            ...base,
            ...(custom.image ? { image: custom.image } : {}),
            env: [...base.env, ...custom.env],
            envFrom: custom.envFrom,
            volumeMounts: [...base.volumeMounts, ...custom.volumeMounts],
            other: custom.other,
          }
        : base;
    };

    if (item.git) {
      const url =
        item.git.url !== undefined
          ? text(item.git.url, [...at, 'git', 'url'])
          : connectionUrl(item, compiled, context, [...at, 'git']);
      const revision =
        item.git.revision !== undefined ? text(item.git.revision, [...at, 'git', 'revision']) : undefined;
      const flags = (item.git.flags ?? []).map((flag, i) => text(flag, [...at, 'git', 'flags', i]));
      if (!url || (item.git.revision !== undefined && !revision) || flags.some((f) => f === undefined)) return;
      const env: BoundEnvVar[] = [{ name: 'GIT_URL', value: url }];
      if (revision) env.push({ name: 'GIT_REVISION', value: revision });
      if (target) env.push({ name: 'TARGET', value: target });
      // The default target is named after the repository, as Polyaxon names it: known only once the URL is.
      const script = [
        `TARGET="\${TARGET:-${ARTIFACTS_PATH}/\`basename "$GIT_URL" .git\`}"`,
        'git clone "$@" -- "$GIT_URL" "$TARGET"',
        ...(revision ? ['git -C "$TARGET" checkout "$GIT_REVISION"'] : []),
      ].join(' && ');
      containers.push(
        generated(
          'git',
          GIT_IMAGE,
          script,
          env,
          flags.filter((f): f is ArgoText => f !== undefined),
        ),
      );
      return;
    }
    if (item.file) {
      const content = text(item.file.content, [...at, 'file', 'content'], 'file');
      const filename = text(item.file.filename ?? 'file', [...at, 'file', 'filename']);
      const chmod = item.file.chmod !== undefined ? text(item.file.chmod, [...at, 'file', 'chmod']) : undefined;
      if (!content || !filename || (item.file.chmod !== undefined && !chmod)) return;
      const env: BoundEnvVar[] = [
        { name: 'TARGET', value: target ?? literal(ARTIFACTS_PATH) },
        { name: 'FILENAME', value: filename },
        { name: 'CONTENT', value: content, file: true },
      ];
      if (chmod) env.push({ name: 'MODE', value: chmod });
      const script = `mkdir -p "$TARGET" && printf '%s' "$CONTENT" > "$TARGET/$FILENAME"${chmod ? ' && chmod "$MODE" "$TARGET/$FILENAME"' : ''}`;
      containers.push(generated('file', SHELL_IMAGE, script, env));
      return;
    }
    if (item.dockerfile) {
      const dockerfile = dockerfileText(
        item.dockerfile,
        (value, field) => text(value, [...at, 'dockerfile', ...field], 'file'),
        (field) => context.templated(origin, [...at, 'dockerfile', field], `dockerfile.${field}`),
      );
      const filename = text(item.dockerfile.filename ?? 'Dockerfile', [...at, 'dockerfile', 'filename']);
      if (!dockerfile || !filename) return;
      const env: BoundEnvVar[] = [
        { name: 'TARGET', value: target ?? literal(`${ARTIFACTS_PATH}/dockerfile`) },
        { name: 'FILENAME', value: filename },
        { name: 'CONTENT', value: dockerfile, file: true },
      ];
      containers.push(
        generated(
          'dockerfile',
          SHELL_IMAGE,
          `mkdir -p "$TARGET" && printf '%s\\n' "$CONTENT" > "$TARGET/$FILENAME"`,
          env,
        ),
      );
      return;
    }
    const store = STORE_HANDLERS.find((handler) => item[handler] !== undefined);
    if (store || (item.connection !== undefined && !custom)) {
      const handler = store ?? 'connection';
      context.unsupported(
        origin,
        [...at, handler],
        `init \`${handler}\` needs Polyaxon's artifacts store, which Argo does not have`,
        'clone or download the data in an init item with a `container:`, or in the job itself',
      );
      return;
    }
    if (custom) {
      containers.push({
        ...custom,
        name: `${INIT_CONTAINER_PREFIX}${index}`,
        volumeMounts: [built({ name: CONTEXT_VOLUME, mountPath: CONTEXT_PATH }), ...custom.volumeMounts],
      });
    }
  });
  return context.refusedSince(mark) ? undefined : containers;
}

function connectionUrl(item: Init, compiled: CompiledOperation, context: BindContext, at: Path): ArgoText | undefined {
  const url = item.connection ? context.options.connections?.byName.get(item.connection)?.schema?.url : undefined;
  if (typeof url === 'string' && url) return literal(url);
  context.report(
    compiled.resolved,
    at,
    'unknown-connection',
    `git init needs a URL: connection \`${item.connection}\` is not in the connections catalog or has no \`schema.url\``,
    { hint: 'pass `--connections FILE` with the connection and its `schema: {url: …}`' },
  );
  return undefined;
}

type Dockerfile = NonNullable<Init['dockerfile']>;

/**
 * The Dockerfile Polyaxon's `dockerfile` init writes, line for line: base image, language and
 * shell, PATH steps, env, workdir, copies, runs, copies after the runs, the user, and the
 * workdir's own copy.
 */
function dockerfileText(
  d: Dockerfile,
  text: (value: string, field: Path) => ArgoText | undefined,
  templated: (field: string) => void,
): ArgoText | undefined {
  const lines: (ArgoText | undefined)[] = [];
  const line = (prefix: string, value: string, field: Path) => {
    const translated = text(value, field);
    lines.push(translated && concat(literal(prefix), translated));
  };
  // A whole list given as a template is rendered into lines by Polyaxon, which Argo cannot do.
  const listed = <T>(value: T | string | undefined, field: string): T | undefined => {
    if (typeof value !== 'string') return value;
    lines.push(undefined);
    templated(field);
    return undefined;
  };
  line('FROM ', d.image, ['image']);
  if (d.langEnv !== undefined)
    for (const variable of ['LC_ALL', 'LANG', 'LANGUAGE']) line(`ENV ${variable} `, d.langEnv, ['langEnv']);
  if (d.shell !== undefined) line('ENV SHELL ', d.shell, ['shell']);
  (listed(d.path, 'path') ?? []).forEach((step, i) => line('ENV PATH="${PATH}:', `${step}"`, ['path', i]));
  const env = listed(d.env, 'env');
  pairs(env).forEach(([key, value], i) => line(`ENV ${key} `, value, ['env', Array.isArray(env) ? i : key]));
  const workdir = d.workdir ?? '/code';
  line('WORKDIR ', workdir, ['workdir']);
  pairs(listed(d.copy, 'copy')).forEach(([from, to], i) => line('COPY ', `${from} ${to}`, ['copy', i]));
  (d.run ?? []).forEach((step, i) => line('RUN ', step, ['run', i]));
  pairs(listed(d.postRunCopy, 'postRunCopy')).forEach(([from, to], i) =>
    line('COPY ', `${from} ${to}`, ['postRunCopy', i]),
  );
  if (d.uid !== undefined && d.gid !== undefined)
    line(
      'RUN ',
      `groupadd -g ${d.gid} -r polyaxon && useradd -r -m -g polyaxon -u ${d.uid} ${d.username ?? 'polyaxon'}`,
      ['uid'],
    );
  if (d.workdirPath !== undefined) line('COPY ', `${d.workdirPath} ${workdir}`, ['workdirPath']);
  if (lines.some((l) => l === undefined)) return undefined;
  return join(
    lines.filter((l): l is ArgoText => l !== undefined),
    '\n',
  );
}

/** Dockerfile `env` (a mapping or `[key, value]` pairs) and `copy` (`[from, to]` pairs or paths). */
function pairs(value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
  return value.map((item) => (Array.isArray(item) ? [String(item[0]), String(item[1] ?? '')] : [String(item), '']));
}
