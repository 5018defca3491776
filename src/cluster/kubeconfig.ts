import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { execCredentials, type ExecConfig } from './exec-credential.js';
import { KubeClient, type ClusterAccess, type Credentials } from './kube-client.js';

/**
 * The cluster credentials: a kubeconfig given as content (an Action input holding a secret), or
 * the in-cluster service account of a self-hosted runner. Never a silent fallback to
 * http://localhost:8080. Its secrets are masked beforehand (kubeconfigSecrets); credentials an
 * exec plugin prints are handed to `onSecret` as they arrive.
 */
export function loadKubeConfig(
  content: string | undefined,
  options: { env?: NodeJS.ProcessEnv; onSecret?: (value: string) => void } = {},
): KubeClient {
  const env = options.env ?? process.env;
  if (content?.trim()) return new KubeClient(fromKubeconfig(content, env, options.onSecret ?? (() => undefined)));
  if (env.KUBERNETES_SERVICE_HOST) return new KubeClient(inCluster(env));
  throw new Error(
    'no cluster to submit to: set the `kubeconfig` input (from a secret), or run on a self-hosted runner inside the cluster',
  );
}

/** One item of `clusters`, `users` or `contexts`: its name and the entry under `cluster`, `user`, `context`. */
type NamedEntry = Record<string, unknown> & { name?: unknown };

interface KubeconfigFile {
  clusters?: NamedEntry[];
  users?: NamedEntry[];
  contexts?: NamedEntry[];
  'current-context'?: string;
}

interface ClusterEntry {
  server?: string;
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

interface UserEntry {
  token?: string;
  tokenFile?: string;
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  'auth-provider'?: { name?: string };
}

const INVALID = 'input `kubeconfig` is not a valid kubeconfig (YAML with clusters, users and contexts)';

function fromKubeconfig(content: string, env: NodeJS.ProcessEnv, onSecret: (value: string) => void): ClusterAccess {
  let file: KubeconfigFile;
  try {
    file = parse(content) as KubeconfigFile;
  } catch {
    // The parser's message may quote the content: say only what is wrong.
    throw new Error(INVALID);
  }
  if (!file || typeof file !== 'object' || Array.isArray(file)) throw new Error(INVALID);
  const entry = <T>(list: NamedEntry[] | undefined, key: string, name: string | undefined) =>
    (Array.isArray(list) ? list : []).find((item) => item?.name === name)?.[key] as T | undefined;
  const context = entry<{ cluster?: string; user?: string }>(file.contexts, 'context', file['current-context']);
  const cluster = entry<ClusterEntry>(file.clusters, 'cluster', context?.cluster);
  if (!cluster?.server) throw new Error('input `kubeconfig` has no current context with a cluster');
  const user = entry<UserEntry>(file.users, 'user', context?.user) ?? {};
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new Error(`input \`kubeconfig\`: the cluster's server \`${cluster.server}\` is not a URL`);
  }
  if (cluster['proxy-url'])
    throw new Error(
      'input `kubeconfig`: the cluster sets `proxy-url`, which the Action does not support; give a kubeconfig that reaches the API server directly',
    );
  if (user['auth-provider'])
    throw new Error(
      `input \`kubeconfig\`: the user authenticates with the legacy auth-provider \`${user['auth-provider'].name ?? ''}\`, which kubectl itself no longer supports; use a token, a client certificate or an exec plugin (gke-gcloud-auth-plugin, kubelogin, aws eks get-token)`,
    );
  const ca = cluster['certificate-authority-data']
    ? decode(cluster['certificate-authority-data'])
    : cluster['certificate-authority']
      ? readLocal(cluster['certificate-authority'], 'certificate-authority')
      : undefined;
  return {
    server,
    ...(ca ? { ca } : {}),
    ...(cluster['insecure-skip-tls-verify'] === true ? { insecure: true } : {}),
    ...(cluster['tls-server-name'] ? { serverName: cluster['tls-server-name'] } : {}),
    credentials: userCredentials(user, cluster, env, onSecret),
  };
}

function userCredentials(
  user: UserEntry,
  cluster: ClusterEntry,
  env: NodeJS.ProcessEnv,
  onSecret: (value: string) => void,
): () => Promise<Credentials> {
  const cert = user['client-certificate-data']
    ? decode(user['client-certificate-data'])
    : user['client-certificate']
      ? readLocal(user['client-certificate'], 'client-certificate')
      : undefined;
  const key = user['client-key-data']
    ? decode(user['client-key-data'])
    : user['client-key']
      ? readLocal(user['client-key'], 'client-key')
      : undefined;
  const tls = { ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  if (user.exec) {
    const exec = execCredentials(user.exec, cluster, env, onSecret);
    return async () => ({ ...tls, ...(await exec()) });
  }
  if (user.token) return () => Promise.resolve({ ...tls, authorization: `Bearer ${user.token}` });
  if (user.tokenFile) return tokenFromFile(user.tokenFile, tls, onSecret);
  if (user.username !== undefined && user.password !== undefined) {
    const basic = Buffer.from(`${user.username}:${user.password}`).toString('base64');
    return () => Promise.resolve({ ...tls, authorization: `Basic ${basic}` });
  }
  return () => Promise.resolve(tls);
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A self-hosted runner's pod: the API server from the environment, its service account's token and CA. */
function inCluster(env: NodeJS.ProcessEnv): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST!;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`);
  return {
    server,
    ca: readLocal(`${SERVICE_ACCOUNT}/ca.crt`, 'the service account CA'),
    credentials: tokenFromFile(`${SERVICE_ACCOUNT}/token`, {}, () => undefined),
  };
}

/** A token read from a file, again every minute: kubelets rotate projected service-account tokens. */
function tokenFromFile(file: string, tls: Credentials, onSecret: (value: string) => void): () => Promise<Credentials> {
  let cached: { token: string; at: number } | undefined;
  return async () => {
    if (!cached || Date.now() - cached.at > 60_000) {
      const token = (await readFile(file, 'utf8').catch(() => '')).trim();
      if (!token) throw new Error(`cannot read the token file \`${file}\` the kubeconfig names`);
      onSecret(token);
      cached = { token, at: Date.now() };
    }
    return { ...tls, authorization: `Bearer ${cached.token}` };
  };
}

const decode = (data: string): Buffer => Buffer.from(data, 'base64');

function readLocal(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new Error(`input \`kubeconfig\`: cannot read the ${what} file \`${file}\``);
  }
}

const SECRET_KEYS = new Set([
  'token',
  'password',
  'client-key-data',
  'client-certificate-data',
  'id-token',
  'refresh-token',
  'access-token',
  'client-secret',
]);

/**
 * The values of a kubeconfig to mask in logs: every token, password and key, and every long
 * line. Read without loading it, so they are masked before anything can fail.
 */
export function kubeconfigSecrets(content: string): string[] {
  if (!content.trim()) return [];
  // Long lines may hold a credential the parser below does not know the key of (base64 data,
  // exec arguments); short ones are YAML structure (`users:`) that masking would only garble.
  const secrets = content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 24);
  try {
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (SECRET_KEYS.has(key) && typeof inner === 'string' && inner) secrets.push(inner);
          else walk(inner);
        }
      }
    };
    walk(parse(content));
  } catch {
    // Masking every line already covers what we could not parse.
  }
  return [...new Set(secrets)];
}
