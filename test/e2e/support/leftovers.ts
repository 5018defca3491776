import { appendFileSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A ledger of the processes the suite starts, so that a run killed before its teardown (a
 * developer's Ctrl-C, a crashed worker) does not leave a cluster behind to collide with the
 * next one: the workflow-controller's port is fixed, the node's network has fixed addresses.
 * Each process is known by its pid and its start time, so a reused pid is never taken for it.
 */
const LEDGER = path.join(tmpdir(), 'polyaxon-argo-e2e.processes');

function startTime(pid: number): string | undefined {
  try {
    // Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Records a process; `namespace`: every process in its mount namespace is ours too (the node's). */
export function recordProcess(pid: number | undefined, kind: 'process' | 'namespace' = 'process'): void {
  const started = pid ? startTime(pid) : undefined;
  if (pid && started) appendFileSync(LEDGER, `${pid} ${started} ${kind}\n`);
}

/** Kills what a previous run left running, namespaces first, and forgets it. */
export function killLeftovers(): void {
  let lines: string[];
  try {
    lines = readFileSync(LEDGER, 'utf8').split('\n').filter(Boolean);
  } catch {
    return;
  }
  const alive = lines
    .map((line) => line.split(' '))
    .map(([pid, started, kind]) => ({ pid: Number(pid), started, kind }))
    .filter((entry) => startTime(entry.pid) === entry.started);
  for (const entry of alive.filter((e) => e.kind === 'namespace')) {
    const namespace = mountNamespace(entry.pid);
    for (const pid of namespace ? processesInMountNamespace(namespace) : []) kill(pid);
  }
  for (const entry of alive) kill(entry.pid);
  forgetProcesses();
}

/** The run ended cleanly. */
export function forgetProcesses(): void {
  rmSync(LEDGER, { force: true });
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function mountNamespace(pid: number | undefined): string | undefined {
  try {
    return pid ? readlinkSync(`/proc/${pid}/ns/mnt`) : undefined;
  } catch {
    return undefined;
  }
}

/** The processes in mount namespace `namespace`. */
export function processesInMountNamespace(namespace: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => mountNamespace(pid) === namespace);
}
