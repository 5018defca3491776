import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/** Makes sure the real `argo` CLI is built (a no-op when the cache already has it). */
export default function setup(): void {
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'setup-argo.sh')], { cwd: REPO_ROOT, stdio: 'inherit' });
}
