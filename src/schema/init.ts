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

/** V1Init (spec §6.3). */
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
});
export type Init = z.infer<typeof init>;
