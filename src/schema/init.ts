import { z } from 'zod';
import { containerShape, k8s } from './k8s.js';
import { strict } from './primitives.js';

const pathList = z.array(z.union([z.string(), z.tuple([z.string(), z.string()])]));

/** Artifacts value: files and dirs to pull (spec §4.2 `artifacts`). */
export const artifacts = strict({
  files: pathList.optional(),
  dirs: pathList.optional(),
  workers: z.int().optional(),
});

export const git = strict({
  url: z.string().optional(),
  revision: z.string().optional(),
  flags: z.array(z.string()).optional(),
});

export const dockerfile = strict({
  image: z.string(),
  env: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  path: z.array(z.string()).optional(),
  copy: z.array(z.unknown()).optional(),
  postRunCopy: z.array(z.unknown()).optional(),
  run: z.array(z.string()).optional(),
  langEnv: z.string().optional(),
  uid: z.int().optional(),
  gid: z.int().optional(),
  username: z.string().optional(),
  filename: z.string().optional(),
  workdir: z.string().optional(),
  workdirPath: z.string().optional(),
  shell: z.string().optional(),
});

export const file = strict({
  content: z.string(),
  filename: z.string().optional(),
  kind: z.string().optional(),
  chmod: z.string().optional(),
});

export const tensorboard = strict({
  port: z.int().optional(),
  uuids: z.union([z.array(z.string()), z.string()]).optional(),
  useNames: z.boolean().optional(),
  pathPrefix: z.string().optional(),
  plugins: z.union([z.array(z.string()), z.string()]).optional(),
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
  artifacts: artifacts.optional(),
  paths: pathList.optional(),
  git: git.optional(),
  dockerfile: dockerfile.optional(),
  file: file.optional(),
  tensorboard: tensorboard.optional(),
  lineageRef: z.string().optional(),
  modelRef: z.string().optional(),
  artifactRef: z.string().optional(),
  connection: z.string().optional(),
  path: z.string().optional(),
  container: k8s(strict(containerShape)).optional(),
});
export type Init = z.infer<typeof init>;
