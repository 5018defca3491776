import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './paths.js';

/**
 * argo-eval (test/support/argo-eval, built by scripts/setup-argo-eval.sh) runs Argo's
 * workflow-controller code and Kubernetes' kubelet expansion code on our strings: tests prove
 * run-time behaviour with their code, not with ours. One process per test file answers every
 * request, one JSON line each way.
 */
export function argoEvalBinary(): string {
  const binary = path.join(REPO_ROOT, '.tools', 'bin', 'argo-eval');
  if (!existsSync(binary)) throw new Error('argo-eval is missing: run `bash scripts/setup-argo-eval.sh`');
  return binary;
}

/** Argo's answer, or its error text. */
export type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A DAG task's `when`: run (true) or Skipped (false). `resolved` is the expression after Argo's
 * substitution, as its evaluator saw it. `missing`: a `tasks.*` variable has no value, on which
 * the controller waits (requeues) instead of failing the task.
 */
export type WhenAnswer = (
  | { ok: true; value: boolean }
  | { ok: false; error: string; /** the controller would wait, not fail */ missing?: boolean }
) & { resolved?: string };

/** An Argo template after the controller's substitutions, and its pod's main containers. */
export interface Substituted {
  template: Record<string, unknown>;
  containers: Container[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  [field: string]: unknown;
}

/** A container as its process sees it after the kubelet's `$(VAR)` expansion. */
export interface Expanded {
  command: string[];
  args: string[];
  env: Record<string, string>;
}

/**
 * Variables by their full Argo name: `workflow.name`, `inputs.parameters.min`,
 * `tasks.train.outputs.parameters.loss`, `pod.name`, …
 */
export type Vars = Record<string, string>;

export interface ArgoEval {
  /** Substitutes and evaluates a DAG task's `when` as the workflow-controller does. */
  when(expression: string, vars?: Vars): Promise<WhenAnswer>;
  /** Substitutes a template as the controller does on its way to the pod. */
  substitute(template: object, vars?: Vars): Promise<Answer<Substituted>>;
  /** The kubelet's `$(VAR)` expansion; `sources` are the values `valueFrom` variables resolve to. */
  expand(container: Container, sources?: Record<string, string>): Promise<Answer<Expanded>>;
  /** The Go modules linked into argo-eval, by path (and `go`: the Go version). */
  version(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
  missing?: boolean;
  resolved?: string;
}

export function startArgoEval(): Promise<ArgoEval> {
  const child = spawn(argoEvalBinary(), [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stderr = '';
  let ended: Error | undefined;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as Reply;
    pending.get(reply.id)?.resolve(reply);
    pending.delete(reply.id);
  });
  const fail = (error: Error): void => {
    ended ??= error;
    for (const { reject } of pending.values()) reject(ended);
    pending.clear();
  };
  child.on('error', fail);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      fail(new Error(`argo-eval exited (${signal ?? code})${stderr ? `: ${stderr.trim()}` : ''}`));
      resolve();
    }),
  );

  const ask = (request: Record<string, unknown>): Promise<Reply> => {
    if (ended) return Promise.reject(ended);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, ...request })}\n`);
    });
  };
  const answer = async <T>(request: Record<string, unknown>): Promise<Answer<T>> => {
    const reply = await ask(request);
    return reply.ok ? { ok: true, value: reply.value as T } : { ok: false, error: reply.error ?? '' };
  };

  const evaluator: ArgoEval = {
    async when(expression, vars = {}) {
      const reply = await ask({ op: 'when', expr: expression, vars });
      const resolved = reply.resolved === undefined ? {} : { resolved: reply.resolved };
      return reply.ok
        ? { ok: true, value: reply.value as boolean, ...resolved }
        : { ok: false, error: reply.error ?? '', ...(reply.missing ? { missing: true } : {}), ...resolved };
    },
    substitute: (template, vars = {}) => answer<Substituted>({ op: 'substitute', template, vars }),
    expand: (container, sources = {}) => answer<Expanded>({ op: 'expand', container, sources }),
    async version() {
      const reply = await answer<Record<string, string>>({ op: 'version' });
      if (!reply.ok) throw new Error(reply.error);
      return reply.value;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
  // Resolves once the process answers, so a broken binary fails the test file's setup.
  return evaluator.version().then(() => evaluator);
}
