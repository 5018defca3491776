import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../support/paths.js';
import { recordProcess } from './leftovers.js';

/**
 * A real Kubernetes control plane: etcd on loopback and kube-apiserver on the address the node
 * reaches (node-network.ts), both built from the Go module proxy (scripts/setup-kube.sh), with a
 * self-signed serving certificate, a service-account signing key and a static admin token
 * generated here.
 */

const BIN = path.join(REPO_ROOT, '.tools', 'bin');

/** A free port on `host` (loopback by default), as the OS hands it out. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `probe` until it resolves true, or fails with what the process logged. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  logFile: string,
  timeoutMs = 60_000,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const log = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s; last lines of ${logFile}:\n${log}`);
}

/** A child process whose output goes to a log file, and which can be stopped and started again. */
export class Daemon {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly name: string,
    private readonly args: string[],
    readonly logFile: string,
    private readonly env: Record<string, string> = {},
    /** A command the binary runs under, e.g. nsenter into the node's namespaces. */
    private readonly wrapper: string[] = [],
  ) {}

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  start(): void {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const binary = path.isAbsolute(this.name) ? this.name : path.join(BIN, this.name);
    const [command, ...args] = [...this.wrapper, binary, ...this.args];
    const child = spawn(command!, args, {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    this.child = child;
    recordProcess(child.pid);
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const killed = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killed);
  }
}

/** The line of `<binary> --version` that names the version. */
export function versionOf(binary: string, args = ['--version']): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(path.isAbsolute(binary) ? binary : path.join(BIN, binary), args);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // The controller logs its configuration before the version: skip log lines.
    child.on('close', () => resolve(out.split('\n').find((line) => line.trim() && !line.startsWith('time=')) ?? ''));
  });
}

export interface ControlPlaneInfo {
  server: string;
  token: string;
  /** A user with no role at all: authenticated, but allowed nothing (for 403s). */
  guestToken: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  ca: string;
}

export class ControlPlane {
  readonly etcd: Daemon;
  readonly apiserver: Daemon;
  readonly info: ControlPlaneInfo;

  private constructor(
    readonly dir: string,
    etcd: Daemon,
    apiserver: Daemon,
    info: ControlPlaneInfo,
  ) {
    this.etcd = etcd;
    this.apiserver = apiserver;
    this.info = info;
  }

  /** `address`: where the apiserver listens, and the address its serving certificate names. */
  static async start(dir: string, address = '127.0.0.1'): Promise<ControlPlane> {
    mkdirSync(dir, { recursive: true });
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcd = new Daemon(
      'etcd',
      [
        '--name=e2e',
        `--data-dir=${path.join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=e2e=http://127.0.0.1:${etcdPeer}`,
        // A throwaway cluster: durability is not worth the fsync latency on a shared disk.
        '--unsafe-no-fsync',
      ],
      path.join(dir, 'etcd.log'),
    );

    // The service-account signing key, a static admin token (group system:masters) and a guest's.
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path.join(dir, 'sa.key'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(path.join(dir, 'sa.pub'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
    const token = randomBytes(24).toString('hex');
    const guestToken = randomBytes(24).toString('hex');
    writeFileSync(
      path.join(dir, 'tokens.csv'),
      `${token},e2e-admin,e2e-admin,"system:masters"\n${guestToken},e2e-guest,e2e-guest\n`,
    );
    const certDir = path.join(dir, 'certs');
    const apiserver = new Daemon(
      'kube-apiserver',
      [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        `--bind-address=${address}`,
        `--advertise-address=${address}`,
        `--secure-port=${apiPort}`,
        // With no certificate given, the apiserver writes a self-signed CA and serving certificate here.
        `--cert-dir=${certDir}`,
        `--token-auth-file=${path.join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        `--service-account-key-file=${path.join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${path.join(dir, 'sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc',
        '--service-cluster-ip-range=10.96.0.0/24',
        '--enable-priority-and-fairness=false',
        // The kubelet's node has no resolvable host name: reach it (pods/log, pods/exec) by its IP.
        '--kubelet-preferred-address-types=InternalIP',
      ],
      path.join(dir, 'kube-apiserver.log'),
    );
    const plane = new ControlPlane(dir, etcd, apiserver, {
      server: `https://${address}:${apiPort}`,
      token,
      guestToken,
      ca: '',
    });
    try {
      etcd.start();
      await waitFor('etcd', () => httpOk(`http://127.0.0.1:${etcdClient}/health`), etcd.logFile);
      apiserver.start();
      await plane.waitReady();
    } catch (error) {
      await plane.stop();
      throw error;
    }
    plane.info.ca = selfSignedCa(readFileSync(path.join(certDir, 'apiserver.crt'), 'utf8'));
    return plane;
  }

  /** Stops the apiserver and starts it again on the same port (etcd keeps the data). */
  async restartApiServer(): Promise<void> {
    await this.apiserver.stop();
    this.apiserver.start();
    await this.waitReady();
  }

  async stop(): Promise<void> {
    await this.apiserver.stop();
    await this.etcd.stop();
  }

  private waitReady(): Promise<void> {
    const probe = () =>
      new Promise<boolean>((resolve) => {
        const req = request(
          `${this.info.server}/readyz`,
          { headers: { authorization: `Bearer ${this.info.token}` }, rejectUnauthorized: false },
          (res) => {
            res.resume();
            resolve(res.statusCode === 200);
          },
        );
        req.on('error', () => resolve(false));
        req.end();
      });
    return waitFor('kube-apiserver', probe, this.apiserver.logFile);
  }

  /** A kubeconfig for the admin, or for whoever `token` belongs to. */
  kubeconfig(namespace = 'default', token = this.info.token): string {
    return `apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: ${this.info.server}
    certificate-authority-data: ${Buffer.from(this.info.ca).toString('base64')}
users:
- name: e2e-admin
  user:
    token: ${token}
contexts:
- name: e2e
  context: {cluster: e2e, user: e2e-admin, namespace: ${namespace}}
current-context: e2e
`;
  }
}

export function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

/** The apiserver's self-signed certificate file holds the serving certificate, then its CA. */
function selfSignedCa(bundle: string): string {
  const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
  return certificates.at(-1) ?? bundle;
}
