import { execFile } from 'node:child_process';
import type { Credentials } from './kube-client.js';

/**
 * Kubeconfig `exec` credential plugins (client.authentication.k8s.io): the program a managed
 * cluster's kubeconfig runs for a token (`aws eks get-token`, `gke-gcloud-auth-plugin`,
 * `kubelogin`). Its ExecCredential is reused until shortly before it expires.
 */

export interface ExecConfig {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
  installHint?: string;
  provideClusterInfo?: boolean;
}

interface ExecCredential {
  status?: {
    token?: string;
    clientCertificateData?: string;
    clientKeyData?: string;
    expirationTimestamp?: string;
  };
}

/** Renewed this long before the credential says it expires. */
const MARGIN_MS = 30_000;
const TIMEOUT_MS = 60_000;

export function execCredentials(
  exec: ExecConfig,
  cluster: { server?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean },
  env: NodeJS.ProcessEnv,
  onSecret: (value: string) => void,
): () => Promise<Credentials> {
  const command = exec.command;
  if (!command) throw new Error('input `kubeconfig`: the user has an `exec` plugin without a `command`');
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  // What kubectl tells the plugin (KUBERNETES_EXEC_INFO): never interactive on a runner.
  const info = {
    apiVersion,
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo
        ? {
            cluster: {
              server: cluster.server,
              ...(cluster['certificate-authority-data']
                ? { 'certificate-authority-data': cluster['certificate-authority-data'] }
                : {}),
              ...(cluster['insecure-skip-tls-verify'] ? { 'insecure-skip-tls-verify': true } : {}),
            },
          }
        : {}),
    },
  };
  let cached: { credentials: Credentials; until: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.until) return cached.credentials;
    const output = await run(command, exec.args ?? [], {
      ...env,
      ...Object.fromEntries((exec.env ?? []).map(({ name, value }) => [name, value])),
      KUBERNETES_EXEC_INFO: JSON.stringify(info),
    }).catch((error: Error & { code?: string | number }) => {
      if (error.code === 'ENOENT')
        throw new Error(
          `the kubeconfig runs \`${command}\` for credentials, and it is not installed on the runner${exec.installHint ? ` (${exec.installHint.trim()})` : ''}`,
        );
      throw new Error(`the kubeconfig's credential plugin \`${command}\` failed: ${error.message}`);
    });
    let parsed: ExecCredential;
    try {
      parsed = JSON.parse(output) as ExecCredential;
    } catch {
      throw new Error(`the kubeconfig's credential plugin \`${command}\` did not print an ExecCredential (JSON)`);
    }
    const status = parsed.status ?? {};
    if (!status.token && !(status.clientCertificateData && status.clientKeyData))
      throw new Error(
        `the kubeconfig's credential plugin \`${command}\` gave neither a token nor a client certificate`,
      );
    for (const value of [status.token, status.clientKeyData]) if (value) onSecret(value);
    const credentials: Credentials = status.token
      ? { authorization: `Bearer ${status.token}` }
      : { cert: status.clientCertificateData!, key: status.clientKeyData! };
    const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : NaN;
    cached = { credentials, until: Number.isNaN(expires) ? Infinity : expires - MARGIN_MS };
    return credentials;
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      // Its last line of error output says why; the whole of it may be long.
      const why = stderr.trim().split('\n').at(-1);
      reject(
        Object.assign(new Error(why || error.message), {
          code: (error as NodeJS.ErrnoException).code ?? error.code,
        }),
      );
    });
  });
}
