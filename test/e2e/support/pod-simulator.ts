import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { decodeCompressedNodes } from '../../../src/watch/node-status.js';
import type { WorkflowObject } from '../../../src/watch/workflow-status.js';

/**
 * Plays the kubelet and Argo's executor for pods the real node should not run: a scenario with
 * thousands of pods (scale), which one 2-core node would take far too long to start for real.
 * It takes only pods whose `schedulerName` is SIMULATED_SCHEDULER (set it in the pipeline's dag
 * `environment`): kube-scheduler leaves them alone, and the simulator binds them to a node that
 * does not exist, so the real kubelet never sees them. For each such pod it does what a node would:
 *   kubelet   binds the pod to a node, reports it Running, then Succeeded or Failed with the
 *             containers' exit codes, kills it at `activeDeadlineSeconds` or when the
 *             controller signals it, and completes graceful deletions;
 *   executor  (the `wait` container) creates the pod's WorkflowTaskResult when it starts,
 *             fills in the template's output parameters when `main` exits, and marks the
 *             result complete, exactly in that order and with the labels Argo's executor uses.
 * What each step does is the scenario's choice: `behave` gets the step and returns its outcome.
 */

/** One pod as the scenario sees it: which operation, which attempt, what it was asked to run. */
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
  /** The main container's command and args, as the process gets them: after Argo substituted the parameters and the kubelet expanded `$(VAR)`. */
  argv: string[];
  /** The main container's environment (its `env` list), expanded by the kubelet the same way. */
  env: Record<string, string>;
}

export interface Outcome {
  /** How long `main` runs (default 300 ms). */
  runMs?: number;
  /** The exit code of `main` (default 0). */
  exitCode?: number;
  /** What `main` wrote to each output parameter's file; a missing one fails the executor. */
  outputs?: Record<string, string>;
}

export type Behaviour = (step: Step) => Outcome;

interface Tracked {
  step: Step;
  outcome: Outcome;
  stage: 'new' | 'running' | 'done';
  startedAt: string;
  startedMs: number;
}

/** The scheduler name that hands a pod to the simulator instead of kube-scheduler and the kubelet. */
export const SIMULATED_SCHEDULER = 'pod-simulator';
const NODE = 'sim-node';
const TICK_MS = 100;

export class PodSimulator {
  readonly steps: Step[] = [];
  /** The most pods ever running at once (between Running and their end), at ms precision. */
  maxRunning = 0;
  private running = 0;
  private readonly pods = new Map<string, Tracked>();
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private ticks = 0;

  constructor(
    config: KubeConfig,
    private readonly namespace: string,
    private readonly behave: Behaviour,
  ) {
    this.core = config.makeApiClient(CoreV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * A poll rather than a watch: a kubelet's watch would have to survive the apiserver restarts
   * some scenarios cause, and polling at 100 ms is cheap for a handful of pods. A failed call
   * (the apiserver is down) is simply tried again on the next tick.
   */
  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      // Pods Argo has labelled completed need nothing more but a graceful deletion: listed every
      // tenth tick only, so a scenario of thousands of pods lists the running ones.
      const { items } = await this.core.listNamespacedPod({
        namespace: this.namespace,
        ...(this.ticks++ % 10 ? { labelSelector: 'workflows.argoproj.io/completed!=true' } : {}),
      });
      const fulfilled = await this.fulfilledNodes();
      const mine = items.filter((p) => p.spec?.schedulerName === SIMULATED_SCHEDULER);
      // Pods are independent: several at a time, as a node runs them.
      for (let i = 0; i < mine.length; i += 16)
        await Promise.all(mine.slice(i, i + 16).map((pod) => this.advance(pod, fulfilled).catch(() => undefined)));
    } catch {
      // The apiserver is unreachable: try again next tick.
    } finally {
      this.busy = false;
    }
  }

  /**
   * Nodes the controller has already ended. When it stops a workflow or enforces a workflow
   * deadline it ends a running pod's node and signals the containers through `pods/exec`,
   * which needs a kubelet; the simulator reads the ended node as that signal.
   */
  private async fulfilledNodes(): Promise<Set<string>> {
    const { items } = (await this.custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: this.namespace,
      plural: 'workflows',
    })) as { items: WorkflowObject[] };
    const ended = new Set(['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted']);
    return new Set(
      items
        // A big workflow's nodes are compressed (status.compressedNodes).
        .flatMap((wf) =>
          Object.values(
            wf.status?.nodes ?? (wf.status?.compressedNodes ? decodeCompressedNodes(wf.status.compressedNodes) : {}),
          ),
        )
        .filter((n) => ended.has(n.phase ?? ''))
        .map((n) => n.id),
    );
  }

  private async advance(pod: V1Pod, fulfilled: Set<string>): Promise<void> {
    const name = pod.metadata!.name!;
    if (pod.metadata?.deletionTimestamp) {
      // The kubelet confirms a graceful deletion once the containers are gone.
      await this.core.deleteNamespacedPod({ name, namespace: this.namespace, gracePeriodSeconds: 0 });
      return;
    }
    let tracked = this.pods.get(pod.metadata!.uid!);
    if (!tracked) {
      if (pod.status?.phase !== 'Pending') return;
      const step = stepOf(pod);
      this.steps.push(step);
      tracked = { step, outcome: this.behave(step), stage: 'new', startedAt: '', startedMs: 0 };
      this.pods.set(pod.metadata!.uid!, tracked);
    }
    if (tracked.stage === 'new') await this.startPod(pod, tracked);
    else if (tracked.stage === 'running')
      await this.maybeFinish(pod, tracked, fulfilled.has(executorEnv(pod).ARGO_NODE_ID ?? ''));
  }

  private async startPod(pod: V1Pod, tracked: Tracked): Promise<void> {
    const name = pod.metadata!.name!;
    if (!pod.spec?.nodeName) {
      await this.core.createNamespacedBinding({
        namespace: this.namespace,
        body: { metadata: { name }, target: { kind: 'Node', name: NODE } },
      });
    }
    await this.initializeTaskResult(pod);
    tracked.startedAt = new Date().toISOString();
    tracked.startedMs = Date.now();
    await this.patchStatus(name, {
      phase: 'Running',
      startTime: tracked.startedAt,
      podIP: '10.244.0.10',
      conditions: [{ type: 'Ready', status: 'True' }],
      initContainerStatuses: containers(pod, 'init', () => ({
        terminated: { exitCode: 0, reason: 'Completed', startedAt: tracked.startedAt, finishedAt: tracked.startedAt },
      })),
      containerStatuses: containers(pod, 'main', () => ({ running: { startedAt: tracked.startedAt } }), true),
    });
    tracked.stage = 'running';
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
  }

  private async maybeFinish(pod: V1Pod, tracked: Tracked, signalled: boolean): Promise<void> {
    const elapsed = Date.now() - tracked.startedMs;
    const deadlineMs = pod.spec?.activeDeadlineSeconds ? pod.spec.activeDeadlineSeconds * 1000 : Infinity;
    const runMs = tracked.outcome.runMs ?? 300;
    const name = pod.metadata!.name!;
    const finishedAt = new Date().toISOString();
    const terminated = (exitCode: number) => ({
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: tracked.startedAt,
        finishedAt,
      },
    });

    if (elapsed >= runMs) {
      const exitCode = tracked.outcome.exitCode ?? 0;
      const { outputs, missing } = outputsOf(pod, tracked.outcome.outputs ?? {});
      await this.finalizeTaskResult(pod, outputs);
      // The executor fails (wait exits 1) when an output parameter's file does not exist.
      const waitCode = missing.length > 0 ? 1 : 0;
      await this.patchStatus(name, {
        phase: exitCode === 0 && waitCode === 0 ? 'Succeeded' : 'Failed',
        containerStatuses: containers(pod, 'main', (container) =>
          terminated(container === 'main' ? exitCode : container === 'wait' ? waitCode : 0),
        ),
      });
    } else if (elapsed >= deadlineMs) {
      // The kubelet kills a pod that outlives its deadline; the executor reports nothing.
      await this.finalizeTaskResult(pod, undefined);
      await this.patchStatus(name, {
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: 'Pod was active on the node longer than the specified deadline',
        containerStatuses: containers(pod, 'main', () => terminated(137)),
      });
    } else if (signalled) {
      // SIGTERM from the controller: the containers exit 143 and the executor reports nothing.
      await this.finalizeTaskResult(pod, undefined);
      await this.patchStatus(name, {
        phase: 'Failed',
        containerStatuses: containers(pod, 'main', () => terminated(143)),
      });
    } else {
      return;
    }
    tracked.stage = 'done';
    this.running--;
  }

  /** The executor's InitializeOutput: an empty result, not yet complete. */
  private async initializeTaskResult(pod: V1Pod): Promise<void> {
    const env = executorEnv(pod);
    await this.custom
      .createNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: this.namespace,
        plural: 'workflowtaskresults',
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'WorkflowTaskResult',
          metadata: {
            name: env.ARGO_NODE_ID,
            labels: {
              'workflows.argoproj.io/workflow': env.ARGO_WORKFLOW_NAME,
              'workflows.argoproj.io/report-outputs-completed': 'false',
            },
            ownerReferences: [
              {
                apiVersion: 'argoproj.io/v1alpha1',
                kind: 'Workflow',
                name: env.ARGO_WORKFLOW_NAME!,
                uid: env.ARGO_WORKFLOW_UID!,
              },
            ],
          },
        },
      })
      .catch((error: { code?: number }) => {
        if (error.code !== 409) throw error;
      });
  }

  /** The executor's ReportOutputs then FinalizeOutput: the outputs, then the completed label. */
  private async finalizeTaskResult(pod: V1Pod, outputs: object | undefined): Promise<void> {
    const name = executorEnv(pod).ARGO_NODE_ID!;
    const patch = (body: object) =>
      this.custom.patchNamespacedCustomObject(
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: this.namespace,
          plural: 'workflowtaskresults',
          name,
          body,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    if (outputs) await patch({ outputs });
    await patch({ metadata: { labels: { 'workflows.argoproj.io/report-outputs-completed': 'true' } } });
  }

  private patchStatus(name: string, status: object) {
    return this.core.patchNamespacedPodStatus(
      { name, namespace: this.namespace, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }
}

/** The executor's settings: the `init` container has the template, `wait` the rest. */
function executorEnv(pod: V1Pod): Record<string, string | undefined> {
  const executors = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].filter(
    (c) => c.name === 'init' || c.name === 'wait',
  );
  return Object.fromEntries(executors.flatMap((c) => c.env ?? []).map((e) => [e.name, e.value]));
}

interface TemplateOutputs {
  parameters?: { name: string; valueFrom?: { path?: string; default?: string }; value?: string }[];
}

/** The template's outputs with the values `main` wrote, as the executor's SaveParameters fills them. */
function outputsOf(pod: V1Pod, written: Record<string, string>): { outputs: TemplateOutputs; missing: string[] } {
  const template = JSON.parse(executorEnv(pod).ARGO_TEMPLATE ?? '{}') as { outputs?: TemplateOutputs };
  const missing: string[] = [];
  const parameters = (template.outputs?.parameters ?? []).map((parameter) => {
    if (!parameter.valueFrom?.path) return parameter;
    const value = written[parameter.name] ?? parameter.valueFrom.default;
    if (value === undefined) missing.push(parameter.name);
    return value === undefined ? parameter : { ...parameter, value: value.replace(/\n$/, '') };
  });
  return { outputs: { ...template.outputs, parameters }, missing };
}

function stepOf(pod: V1Pod): Step {
  const nodeName = pod.metadata?.annotations?.['workflows.argoproj.io/node-name'] ?? pod.metadata!.name!;
  // `wf.outer.train(1:lr=0.1)(2)`: dag levels, then a matrix item, then a retry attempt.
  const last = splitOutsideParentheses(nodeName).at(-1)!;
  const retry = /\((\d+)\)$/.exec(last);
  const withoutRetry = retry ? last.slice(0, retry.index) : last;
  const item = /\((\d+:.*)\)$/.exec(withoutRetry);
  const main = pod.spec?.containers.find((c) => c.name === 'main');
  const template = JSON.parse(executorEnv(pod).ARGO_TEMPLATE ?? '{}') as { name?: string };
  const env: Record<string, string> = {};
  for (const variable of main?.env ?? []) env[variable.name] = expandReferences(variable.value ?? '', env);
  return {
    nodeName,
    task: item ? withoutRetry.slice(0, item.index) : withoutRetry,
    item: item?.[1],
    attempt: retry ? Number(retry[1]) : 0,
    templateName: template.name ?? '',
    argv: userArgv([...(main?.command ?? []), ...(main?.args ?? [])].map((arg) => expandReferences(arg, env))),
    env,
  };
}

/**
 * The kubelet's expansion of command, args and env values (Kubernetes API reference,
 * Container.args): `$(VAR)` becomes the value of a variable defined earlier in the container's
 * env and stays as written otherwise; `$$` is an escaped `$`.
 */
export function expandReferences(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$' || i + 1 === text.length) {
      out += text[i];
      continue;
    }
    const next = text[i + 1];
    const close = next === '(' ? text.indexOf(')', i + 2) : -1;
    if (next === '$') out += '$';
    else if (close !== -1) {
      const name = text.slice(i + 2, close);
      out += Object.hasOwn(env, name) ? env[name] : `$(${name})`;
      i = close - 1;
    } else out += `$${next}`;
    i++;
  }
  return out;
}

/**
 * The command the user's container runs: Argo's emissary executor wraps it as
 * `/var/run/argo/argoexec emissary [flags] -- COMMAND ARGS…`, having resolved an image's
 * entrypoint from the controller's image index when the template gave no command.
 */
function userArgv(argv: string[]): string[] {
  return argv[0]?.endsWith('/argoexec') && argv[1] === 'emissary' ? argv.slice(argv.indexOf('--') + 1) : argv;
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

/** Status entries for the pod's init or app containers, each in the state `state` gives it. */
function containers(pod: V1Pod, kind: 'init' | 'main', state: (container: string) => object, ready = false): object[] {
  const specs = kind === 'init' ? (pod.spec?.initContainers ?? []) : pod.spec!.containers;
  return specs.map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready,
    restartCount: 0,
    started: ready,
    state: state(c.name),
  }));
}
