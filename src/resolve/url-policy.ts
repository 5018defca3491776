import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Where a `urlRef` may point. Pipelines come from pull requests by strangers, so by default a
 * download must be HTTPS and must not reach this machine or its private network (the cloud
 * metadata service at 169.254.169.254, a cluster-internal service…). Each redirect is checked
 * again.
 */
export interface UrlPolicy {
  /** Allow http:// and private, loopback and link-local addresses (for an internal hub). */
  allowPrivate: boolean;
}

export async function checkUrl(url: URL, policy: UrlPolicy): Promise<string | undefined> {
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) {
    return `only https:// URLs are downloaded${url.protocol === 'http:' ? ' (http:// needs --allow-private-urls)' : ''}`;
  }
  if (policy.allowPrivate) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    return `cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
  const internal = addresses.find(isInternalAddress);
  return internal
    ? `${host} resolves to ${internal}, a private, loopback or link-local address (allow it with --allow-private-urls)`
    : undefined;
}

/** Loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified and IPv4-mapped forms of them. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isInternalAddress(mapped[1]!);
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const lower = address.toLowerCase();
  return (
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('fe8') ||
    lower.startsWith('fe9') ||
    lower.startsWith('fea') ||
    lower.startsWith('feb') ||
    lower.startsWith('fc') ||
    lower.startsWith('fd')
  );
}
