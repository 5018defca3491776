import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { Daemon, freePort, waitFor } from './control-plane.js';

/**
 * A real `git daemon` serving repositories over git:// on the node's gateway address, for git
 * init containers. It starts with `acme/models.git`, the repository the example pipelines clone
 * from https://github.com/acme/models.git (the stand-in image's git config points that prefix
 * here): `train.py` at tag v1.2.0, changed again on `main`.
 */
export class GitDaemon {
  private constructor(
    readonly root: string,
    readonly url: string,
    private readonly daemon: Daemon,
  ) {}

  static async start(root: string, host: string, logFile: string): Promise<GitDaemon> {
    mkdirSync(root, { recursive: true });
    createRepository(root, 'acme/models.git', [
      { files: { 'train.py': 'print("models v1.2.0")\n', 'README.md': '# models\n' }, tag: 'v1.2.0' },
      { files: { 'train.py': 'print("models main")\n' } },
    ]);
    const port = await freePort(host);
    const daemon = new Daemon(
      '/usr/bin/git',
      ['daemon', '--reuseaddr', '--export-all', `--base-path=${root}`, `--listen=${host}`, `--port=${port}`, root],
      logFile,
    );
    daemon.start();
    await waitFor('git daemon', () => canConnect(host, port), logFile);
    return new GitDaemon(root, `git://${host}:${port}`, daemon);
  }

  stop(): Promise<void> {
    return this.daemon.stop();
  }
}

/** A bare repository at ROOT/NAME whose `main` has one commit per entry, tagged as asked. */
export function createRepository(
  root: string,
  name: string,
  commits: { files: Record<string, string>; tag?: string }[],
): void {
  const work = mkdtempSync(path.join(root, '.work-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@localhost', ...args], {
      cwd: work,
      stdio: 'pipe',
    });
  git('init', '--quiet', '--initial-branch=main');
  for (const [index, commit] of commits.entries()) {
    for (const [file, content] of Object.entries(commit.files)) writeFileSync(path.join(work, file), content);
    git('add', '.');
    git('commit', '--quiet', '-m', `commit ${index + 1}`);
    if (commit.tag) git('tag', commit.tag);
  }
  execFileSync('git', ['clone', '--quiet', '--bare', work, path.join(root, name)], { stdio: 'pipe' });
  rmSync(work, { recursive: true, force: true });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
