import { z } from 'zod';
import { containerShape, k8s } from './k8s.js';
import { int, laxBool, refOr, strict } from './primitives.js';

/**
 * Init items and the IO types that share their shapes (spec §6.3, §4.2), as Polyaxon 2.18 types
 * them: most fields also take a `{{ … }}` template (a RefField), rendered when the run starts.
 */

/** `[from, to]` or `path` items. */
const pathList = z.array(z.union([z.string(), z.array(z.string())]));

/** Artifacts value: files and dirs to pull (spec §4.2 `artifacts`). */
export const artifacts = strict({
  files: refOr(pathList).optional(),
  dirs: refOr(pathList).optional(),
  workers: refOr(int).optional(),
});

export const git = strict({
  url: z.string().optional(),
  revision: z.string().optional(),
  flags: z.array(z.string()).optional(),
});

export const dockerfile = strict({
  image: z.string(),
  env: refOr(z.union([z.record(z.string(), z.unknown()), z.array(z.array(z.string()))])).optional(),
  path: refOr(z.array(z.string())).optional(),
  copy: refOr(pathList).optional(),
  postRunCopy: refOr(pathList).optional(),
  run: z.array(z.string()).optional(),
  langEnv: z.string().optional(),
  uid: refOr(int).optional(),
  gid: refOr(int).optional(),
  username: z.string().optional(),
  filename: z.string().optional(),
  workdir: z.string().optional(),
  workdirPath: z.string().optional(),
  shell: z.string().optional(),
});

export const file = strict({
  content: z.string(),
  filename: z.string().optional(),
  kind: refOr(z.string()).optional(),
  chmod: z.string().optional(),
});

export const tensorboard = strict({
  port: refOr(int).optional(),
  uuids: refOr(z.union([z.array(z.string()), z.string()])).optional(),
  useNames: refOr(laxBool).optional(),
  pathPrefix: z.string().optional(),
  plugins: refOr(z.union([z.array(z.string()), z.string()])).optional(),
});

/** The init handlers; at most one may be set per item (checked by a rule, so all errors show). */
export const INIT_HANDLERS = [
  'artifacts',
  'paths',
  'git',
  'dockerfile',
  'file',
  'tensorboard',
  'lineageRef',
  'modelRef',
  'artifactRef',
] as const;

/**
 * Python's truthiness, as V1Init's validator counts handlers: an empty list or string is unset.
 */
/** zod's issue code for refinements (our diagnostic code goes in `params.code`). */
const ZOD_CUSTOM = 'custom' as const;

const isSet = (value: unknown) =>
  value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** V1Init (spec §6.3), with its validator's rules: one handler per item, and git needs a source. */
export const init = strict({
  // Handlers Argo cannot run (they need Polyaxon's artifacts store) take templates as Polyaxon does;
  // git, dockerfile and file ones keep literal shapes, which lowering reads.
  artifacts: refOr(artifacts).optional(),
  paths: refOr(z.union([pathList, z.string()])).optional(),
  git: git.optional(),
  dockerfile: dockerfile.optional(),
  file: file.optional(),
  tensorboard: refOr(tensorboard).optional(),
  lineageRef: z.string().optional(),
  modelRef: z.string().optional(),
  artifactRef: z.string().optional(),
  connection: z.string().optional(),
  path: z.string().optional(),
  container: k8s(strict(containerShape)).optional(),
}).superRefine((item, context) => {
  const handlers = INIT_HANDLERS.filter((handler) => isSet(item[handler]));
  if (handlers.length > 1)
    context.addIssue({
      code: ZOD_CUSTOM,
      path: [handlers[1]!],
      message: `an init item sets ${handlers.join(' and ')}; only one of artifacts, paths, git, dockerfile, file, tensorboard, lineageRef, modelRef or artifactRef can be set`,
      params: { code: 'multiple-init-handlers', hint: 'split it into one init item per handler' },
    });
  if (typeof item.git === 'object' && !item.git.url && !item.connection)
    context.addIssue({
      code: ZOD_CUSTOM,
      path: ['git'],
      message: 'a git init item needs a `url` or a `connection`',
      params: {
        code: 'git-without-source',
        hint: 'add `url:` under `git:`, or a `connection:` naming a git connection',
      },
    });
});
export type Init = z.infer<typeof init>;
