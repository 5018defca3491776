import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

/**
 * The cluster credentials: a kubeconfig given as content (an Action input holding a secret), or
 * the in-cluster service account of a self-hosted runner. Never client-node's silent fallback to
 * http://localhost:8080. Its secrets are masked beforehand (kubeconfigSecrets).
 */
export function loadKubeConfig(content: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const config = new KubeConfig();
  if (content?.trim()) {
    try {
      config.loadFromString(content);
    } catch {
      // The parser's message may quote the content: say only what is wrong.
      throw new Error('input `kubeconfig` is not a valid kubeconfig (YAML with clusters, users and contexts)');
    }
    if (!config.getCurrentCluster()) throw new Error('input `kubeconfig` has no current context with a cluster');
    return config;
  }
  if (env.KUBERNETES_SERVICE_HOST) {
    config.loadFromCluster();
    return config;
  }
  throw new Error(
    'no cluster to submit to: set the `kubeconfig` input (from a secret), or run on a self-hosted runner inside the cluster',
  );
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
