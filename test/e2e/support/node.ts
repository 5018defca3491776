import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { Daemon, waitFor, type ControlPlane } from './control-plane.js';
import { mountNamespace, processesInMountNamespace, recordProcess } from './leftovers.js';
import { HOST_IP, NETNS_PATH, NODE_IP, POD_SUBNET } from './node-network.js';

/**
 * One real Kubernetes node: containerd with runc and the CNI bridge plugin, the kubelet, and
 * kube-scheduler beside them. containerd and the kubelet run in the node's network namespace
 * (node-network.ts) and in a mount namespace of their own, so every mount they make (volumes,
 * container root filesystems, pod network namespaces) is private to the node and disappears
 * with it. containerd has its own socket, root and state folders: it never meets a containerd
 * this machine may already run.
 */

/** The node's name. environment.yaml pins its pod to `node-7` (nodeName), so the one node is it. */
export const NODE_NAME = 'node-7';
/** The sandbox image containerd runs for each pod (imported from the pause layer). */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
/** The scheduler name kube-scheduler serves; pods naming another are left to whoever serves it. */
export const DEFAULT_SCHEDULER = 'default-scheduler';
const NOT_READY = 'node.kubernetes.io/not-ready';

export class Node {
  private constructor(
    readonly dir: string,
    private readonly holder: ChildProcess,
    readonly containerd: Daemon,
    readonly kubelet: Daemon,
    readonly scheduler: Daemon,
  ) {}

  /** containerd's socket, for `ctr`. */
  get containerdSocket(): string {
    return path.join(this.dir, 'containerd', 'containerd.sock');
  }

  static async start(plane: ControlPlane, dir: string): Promise<Node> {
    mkdirSync(dir, { recursive: true });
    const holder = startMountNamespace(dir);
    const inNode = ['nsenter', `--net=${NETNS_PATH}`, `--mount=/proc/${holder.pid}/ns/mnt`, '--'];
    const containerd = new Daemon(
      '/usr/bin/containerd',
      ['--config', writeContainerdConfig(dir)],
      path.join(dir, 'containerd.log'),
      {},
      inNode,
    );
    const kubeconfig = path.join(dir, 'node.kubeconfig');
    writeFileSync(kubeconfig, plane.kubeconfig('default'), { mode: 0o600 });
    const kubelet = new Daemon(
      'kubelet',
      [
        `--config=${writeKubeletConfig(dir)}`,
        `--kubeconfig=${kubeconfig}`,
        `--root-dir=${path.join(dir, 'kubelet')}`,
        `--cert-dir=${path.join(dir, 'kubelet', 'pki')}`,
        `--hostname-override=${NODE_NAME}`,
        `--node-ip=${NODE_IP}`,
        '--v=1',
      ],
      path.join(dir, 'kubelet.log'),
      {},
      inNode,
    );
    const scheduler = new Daemon(
      'kube-scheduler',
      [
        `--kubeconfig=${kubeconfig}`,
        '--leader-elect=false',
        // No serving port: it would be fixed (10259) and nothing here reads it.
        '--secure-port=0',
      ],
      path.join(dir, 'kube-scheduler.log'),
    );
    const node = new Node(dir, holder, containerd, kubelet, scheduler);
    try {
      containerd.start();
      await waitFor(
        'containerd',
        () => {
          try {
            node.ctr('version');
            return Promise.resolve(true);
          } catch {
            return Promise.resolve(false);
          }
        },
        containerd.logFile,
      );
      kubelet.start();
      scheduler.start();
      await node.waitReady(plane);
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  /** Runs `ctr` against this node's containerd, in the namespace the kubelet uses. */
  ctr(...args: string[]): string {
    return execFileSync('ctr', ['--address', this.containerdSocket, '--namespace', 'k8s.io', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
  }

  /**
   * Waits for the node to be Ready, then lifts the `not-ready` taint the kubelet registers it
   * with, as kube-controller-manager's node lifecycle controller would (it does not run here).
   */
  private async waitReady(plane: ControlPlane): Promise<void> {
    const config = new KubeConfig();
    config.loadFromString(plane.kubeconfig());
    const core = config.makeApiClient(CoreV1Api);
    await waitFor(
      `node ${NODE_NAME}`,
      async () => {
        const node = await core.readNode({ name: NODE_NAME });
        return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      },
      this.kubelet.logFile,
      90_000,
    );
    const node = await core.readNode({ name: NODE_NAME });
    await core.patchNode(
      { name: NODE_NAME, body: { spec: { taints: (node.spec?.taints ?? []).filter((t) => t.key !== NOT_READY) } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  /**
   * Stops the node and leaves nothing behind: the kubelet and scheduler first, then every
   * process of the node's mount namespace (containerd, its shims, the containers), then the
   * namespace itself, which takes every mount with it; last, the cgroups runc made.
   */
  async stop(): Promise<void> {
    await this.scheduler.stop(5_000);
    await this.kubelet.stop(5_000);
    let containers: string[] = [];
    try {
      containers = this.ctr('containers', 'list', '--quiet').split('\n').filter(Boolean);
    } catch {
      // containerd is not answering: its cgroups stay.
    }
    await this.containerd.stop(5_000);
    const namespace = mountNamespace(this.holder.pid);
    if (namespace) {
      for (let round = 0; round < 20; round++) {
        const left = processesInMountNamespace(namespace).filter((pid) => pid !== this.holder.pid);
        if (!left.length) break;
        for (const pid of left) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        await sleep(100);
      }
    }
    this.holder.kill('SIGKILL');
    removeCgroups(containers);
  }
}

/**
 * A process holding a private mount namespace for the node; a tmpfs over /run/netns there keeps
 * the pods' network namespaces (containerd pins them at /run/netns/cni-…) out of this machine's.
 */
function startMountNamespace(dir: string): ChildProcess {
  const holder = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'mount -t tmpfs tmpfs /run/netns && exec sleep infinity'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let error = '';
  holder.stderr.on('data', (chunk: Buffer) => (error += chunk.toString()));
  recordProcess(holder.pid, 'namespace');
  holder.on('exit', (code) => {
    if (code) writeFileSync(path.join(dir, 'mount-namespace.log'), `unshare exited ${code}: ${error}`);
  });
  return holder;
}

/**
 * Removes the cgroups runc made for the node's containers, once their processes are gone:
 * containerd puts each under `k8s.io/<container id>` of every controller (the kubelet gives
 * pods no parent: it has no per-QoS hierarchy here). Only ours, by id.
 */
function removeCgroups(containers: readonly string[]): void {
  const root = '/sys/fs/cgroup';
  for (const controller of readdirSync(root)) {
    for (const id of containers) {
      try {
        rmdirSync(path.join(root, controller, 'k8s.io', id));
      } catch {
        // Never made, or gone.
      }
    }
  }
}

function writeContainerdConfig(dir: string): string {
  const home = path.join(dir, 'containerd');
  const cni = path.join(home, 'net.d');
  mkdirSync(cni, { recursive: true });
  writeFileSync(
    path.join(cni, '10-e2e.conflist'),
    JSON.stringify({
      cniVersion: '1.0.0',
      name: 'e2e',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: POD_SUBNET }]],
            // Only the node's link: pods reach this machine's HOST_IP, and nothing beyond.
            routes: [{ dst: `${HOST_IP}/32` }],
            dataDir: path.join(home, 'ipam'),
          },
        },
      ],
    }),
  );
  const file = path.join(home, 'config.toml');
  writeFileSync(
    file,
    `version = 2
root = "${home}/root"
state = "${home}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "${home}/containerd.sock"
[ttrpc]
  address = "${home}/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "${home}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  # This machine lacks CAP_SYS_RESOURCE: a sandbox's negative OOM score cannot be set.
  restrict_oom_score_adj = true
  enable_selinux = false
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${cni}"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
`,
  );
  return file;
}

function writeKubeletConfig(dir: string): string {
  const file = path.join(dir, 'kubelet.yaml');
  const resolvConf = path.join(dir, 'resolv.conf');
  // Pods resolve no names: the suite's services are reached by address.
  writeFileSync(resolvConf, '');
  writeFileSync(
    file,
    `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
readOnlyPort: 0
containerRuntimeEndpoint: unix://${path.join(dir, 'containerd', 'containerd.sock')}
podLogsDir: ${path.join(dir, 'pod-logs')}
evictionHard: {}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
resolvConf: ${resolvConf}
serializeImagePulls: false
shutdownGracePeriod: 0s
`,
  );
  return file;
}

/** The node's log files, for a failing test to quote. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
