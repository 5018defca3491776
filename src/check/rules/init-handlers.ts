import { INIT_HANDLERS, type Init } from '../../schema/init.js';
import type { Rule } from '../rule.js';

/** Each `init` item does one thing (spec §6.3); git without a URL needs a connection to say where. */
export const initHandlers: Rule = {
  name: 'init-handlers',
  component(resolved, context) {
    const run = resolved.component.run as { init?: Init[] | string };
    if (!Array.isArray(run.init)) return;
    run.init.forEach((item, index) => {
      const at = [...resolved.path, 'run', 'init', index];
      const handlers = INIT_HANDLERS.filter((h) => item[h] !== undefined);
      if (handlers.length > 1) {
        context.report(
          resolved,
          [...at, handlers[1]!],
          'multiple-init-handlers',
          `an init item sets ${handlers.join(' and ')}; only one of artifacts, paths, git, dockerfile, file, tensorboard, lineageRef, modelRef or artifactRef can be set`,
          { hint: 'split it into one init item per handler' },
        );
      }
      if (item.git && !item.git.url && !item.connection) {
        context.report(
          resolved,
          [...at, 'git'],
          'git-without-source',
          'a git init item needs a `url` or a `connection`',
          { hint: 'add `url:` under `git:`, or a `connection:` naming a git connection' },
        );
      }
    });
  },
};
