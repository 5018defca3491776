import { z } from 'zod';
import { laxBool, refOr, strict } from './primitives.js';
import { HOOK_TRIGGERS } from './hooks.js';

const flag = refOr(laxBool).optional();

/** V1Plugins (spec §8.11): platform features switched per run. */
export const plugins = strict({
  auth: flag,
  docker: flag,
  shm: flag,
  tmux: flag,
  sandbox: flag,
  ssh: flag,
  mountArtifactsStore: flag,
  collectArtifacts: flag,
  collectLogs: flag,
  collectResources: flag,
  syncStatuses: flag,
  autoResume: flag,
  externalHost: flag,
  logLevel: z.string().optional(),
  sidecar: z.record(z.string(), z.unknown()).optional(),
  notifications: z
    .array(strict({ connections: z.array(z.string()), trigger: z.enum(HOOK_TRIGGERS).optional() }))
    .optional(),
});
export type Plugins = z.infer<typeof plugins>;
