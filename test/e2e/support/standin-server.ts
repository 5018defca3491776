import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { V1Pod } from '@kubernetes/client-node';

/**
 * The scenario's side of the stand-in (test/e2e/images/standin): every program a pod's
 * containers run reports here what it received, and gets back what to do. Each scenario
 * registers its namespace with a behaviour; the server finds the reporting process's pod (its
 * host name is the pod's name) and asks that behaviour.
 */

/** One process as it started in a real container. */
export interface Step {
  /** The workflow node's name, e.g. `diamond-x7k2p.train-small`. */
  nodeName: string;
  /** The task's name within its dag, without the retry suffix: `train-small`. */
  task: string;
  /** A matrix item's index and value, as Argo names it: `1:lr=0.1`. */
  item?: string;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
  templateName: string;
  pod: string;
  /** `main`, a sidecar's name or an init container's. */
  container: string;
  /** Started by another program of the container (a shell's `mkdir`), not by the container. */
  nested: boolean;
  /**
   * The process's argv as it got it: after Argo substituted, the kubelet expanded `$(VAR)` and
   * the emissary started it. The emissary passes a program found on PATH by its full path; as
   * the image keeps every stand-in program in /usr/local/bin, that prefix is removed, so
   * argv[0] reads as the container's command named it (`python`, not `/usr/local/bin/python`).
   */
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  /** The files of the container's mounted volumes (up to 64 KiB each), by path. */
  files: Record<string, string>;
  /** Whether the image has the real program (busybox's applets, git). */
  real: boolean;
  startedMs: number;
  /** When the process exited on its own (not when a signal killed it). */
  endedMs?: number;
}

export interface Outcome {
  /** Run the real program (default: when there is one and no other field is given). */
  real?: boolean;
  /** How long the process runs before exiting (default 200 ms; Infinity: until a signal ends it). */
  runMs?: number;
  exitCode?: number;
  /** Output parameters by name, written to the files the template reads them from. */
  outputs?: Record<string, string>;
  /** Other files to write, by absolute path. */
  files?: Record<string, string>;
  stdout?: string;
  stderr?: string;
}

export type Behaviour = (step: Step) => Outcome | undefined;

interface Registration {
  behave: Behaviour;
  /** The pod, undefined when there is no such pod; throws when the apiserver does not answer. */
  readPod: (name: string) => Promise<V1Pod | undefined>;
}

interface Report {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  hostname: string;
  nested: boolean;
  real: boolean;
  files?: Record<string, string>;
}

export class StandinServer {
  private readonly scenarios = new Map<string, Registration>();
  private server?: Server;
  private readonly running = new Map<number, Step>();
  private nextId = 1;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, resolve);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  register(namespace: string, registration: Registration): void {
    this.scenarios.set(namespace, registration);
  }

  unregister(namespace: string): void {
    this.scenarios.delete(namespace);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      if (req.url === '/done') {
        const { id, endedMs } = JSON.parse(body) as { id: number; endedMs: number };
        const step = this.running.get(id);
        if (step) step.endedMs = endedMs;
        res.writeHead(204).end();
        return;
      }
      if (req.url !== '/run') {
        res.writeHead(404).end();
        return;
      }
      const report = JSON.parse(body) as Report;
      const found = await this.findPod(report.hostname);
      if (!found) {
        res.writeHead(404).end(`no scenario has a pod named ${report.hostname}`);
        return;
      }
      const step = stepOf(found.pod, report);
      const outcome = found.registration.behave(step) ?? {};
      const id = this.nextId++;
      this.running.set(id, step);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answerOf(found.pod, step, outcome, id)));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  }

  /**
   * The reporting process's pod and its scenario. `readPod` gives undefined for a pod its
   * namespace does not have, and throws when the apiserver cannot answer (a scenario restarts
   * it): then the process waits, as the stand-in would be kept waiting by a slow server.
   */
  private async findPod(name: string): Promise<{ pod: V1Pod; registration: Registration } | undefined> {
    for (const start = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 500))) {
      try {
        for (const registration of this.scenarios.values()) {
          const pod = await registration.readPod(name);
          if (pod) return { pod, registration };
        }
        return undefined;
      } catch (error) {
        if (Date.now() - start > 60_000) throw error;
      }
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

interface TemplateOutputs {
  parameters?: { name: string; valueFrom?: { path?: string } }[];
}

/** The template the pod runs, as Argo gives it to the executor (the `init` container's env). */
function templateOf(pod: V1Pod): { name?: string; daemon?: boolean; outputs?: TemplateOutputs } {
  const init = pod.spec?.initContainers?.find((c) => c.name === 'init');
  const value = init?.env?.find((e) => e.name === 'ARGO_TEMPLATE')?.value;
  return value ? (JSON.parse(value) as { name?: string; daemon?: boolean; outputs?: TemplateOutputs }) : {};
}

function stepOf(pod: V1Pod, report: Report): Step {
  const nodeName = pod.metadata?.annotations?.['workflows.argoproj.io/node-name'] ?? pod.metadata!.name!;
  // `wf.outer.train(1:lr=0.1)(2)`: dag levels, then a matrix item, then a retry attempt.
  const last = splitOutsideParentheses(nodeName).at(-1)!;
  const retry = /\((\d+)\)$/.exec(last);
  const withoutRetry = retry ? last.slice(0, retry.index) : last;
  const item = /\((\d+:.*)\)$/.exec(withoutRetry);
  return {
    nodeName,
    task: item ? withoutRetry.slice(0, item.index) : withoutRetry,
    item: item?.[1],
    attempt: retry ? Number(retry[1]) : 0,
    templateName: templateOf(pod).name ?? '',
    pod: pod.metadata!.name!,
    container: report.env.ARGO_CONTAINER_NAME ?? '',
    nested: report.nested,
    argv: [report.argv[0]?.replace(/^\/usr\/local\/bin\//, '') ?? '', ...report.argv.slice(1)],
    env: report.env,
    cwd: report.cwd,
    uid: report.uid,
    files: report.files ?? {},
    real: report.real,
    startedMs: Date.now(),
  };
}

/** What the stand-in does: the scenario's outcome, with the defaults filled in. */
function answerOf(pod: V1Pod, step: Step, outcome: Outcome, id: number): object {
  const template = templateOf(pod);
  const simulated = ['runMs', 'exitCode', 'outputs', 'files', 'stdout', 'stderr'].some(
    (key) => outcome[key as keyof Outcome] !== undefined,
  );
  const real = outcome.real ?? (step.real && !simulated);
  const files: Record<string, string> = { ...outcome.files };
  for (const [name, value] of Object.entries(outcome.outputs ?? {})) {
    const file = template.outputs?.parameters?.find((p) => p.name === name)?.valueFrom?.path;
    if (!file) throw new Error(`template ${template.name} has no output parameter ${name} read from a file`);
    files[file] = value;
  }
  const lasting = step.container !== 'main' && !pod.spec?.initContainers?.some((c) => c.name === step.container);
  const runMs = outcome.runMs ?? (!step.nested && (template.daemon || lasting) ? Infinity : 200);
  return {
    id,
    exec: real,
    stdout: outcome.stdout ?? '',
    stderr: outcome.stderr ?? '',
    files,
    runMs: Number.isFinite(runMs) ? runMs : -1,
    exitCode: outcome.exitCode ?? 0,
  };
}

function splitOutsideParentheses(name: string): string[] {
  const parts = [''];
  let depth = 0;
  for (const char of name) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === '.' && depth === 0) parts.push('');
    else parts[parts.length - 1] += char;
  }
  return parts;
}
