import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

/**
 * Makes sure the real `argo` CLI and argo-eval (Argo's and the kubelet's run-time code, for the
 * tests) are built and the published `polyaxon` package is installed (no-ops when the cache
 * already has them).
 */
export default function setup(): void {
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'setup-argo.sh')], { cwd: REPO_ROOT, stdio: 'inherit' });
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'setup-argo-eval.sh')], { cwd: REPO_ROOT, stdio: 'inherit' });
  execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'setup-polyaxon.sh')], { cwd: REPO_ROOT, stdio: 'inherit' });
}
