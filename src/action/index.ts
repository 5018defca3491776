import * as core from '@actions/core';
import { run } from './main.js';
import { post } from './post.js';

// One bundle for both steps: the main step marks the state, so the post step knows it is one.
if (core.getState('isPost') === 'true') {
  await post();
} else {
  core.saveState('isPost', 'true');
  await run();
}
