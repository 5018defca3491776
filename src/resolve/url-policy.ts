import { isIP } from 'node:net';
import { optionRef } from '../diagnostics/option-names.js';

/**
 * Where a `urlRef` may point. Pipelines come from pull requests by strangers, so by default a
 * download must be HTTPS and must not reach this machine or a private network (the cloud
 * metadata service at 169.254.169.254, a cluster-internal service…). What is checked is the
 * address actually connected to, on every hop (see fetch-url.ts): checking a DNS answer before
 * the fetch would let a name resolve to a public address for the check and to a private one for
 * the connection.
 */
export interface UrlPolicy {
  /** Allow http:// and private, loopback and link-local addresses (for an internal hub). */
  allowPrivate: boolean;
}

/** Why `url`'s scheme is refused, or undefined. */
export function checkScheme(url: URL, policy: UrlPolicy): string | undefined {
  if (url.protocol === 'https:' || (policy.allowPrivate && url.protocol === 'http:')) return undefined;
  return `only https:// URLs are downloaded${url.protocol === 'http:' ? ` (http:// needs ${optionRef('allow-private-urls')})` : ''}`;
}

/** The host of a URL as an address or a name: brackets and a final dot removed. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/**
 * Why `address` (an IPv4 or IPv6 address in any notation Node accepts) must not be reached
 * from a stranger's file, as a noun phrase ("a loopback address"), or undefined when it is a
 * public unicast address. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are
 * judged by the IPv4 address they lead to.
 */
export function internalAddress(address: string): string | undefined {
  const bytes = addressBytes(address);
  if (!bytes) return 'not an IP address';
  return bytes.length === 4 ? internalIPv4(bytes) : internalIPv6(bytes);
}

/** [first bytes, prefix length in bits, what the block is], IANA's special-purpose registries. */
const IPV4_BLOCKS: [number[], number, string][] = [
  [[0], 8, '"this network" (0.0.0.0/8)'],
  [[10], 8, 'private (10.0.0.0/8)'],
  [[100, 64], 10, 'shared carrier-grade NAT (100.64.0.0/10)'],
  [[127], 8, 'loopback (127.0.0.0/8)'],
  [[169, 254], 16, 'link-local (169.254.0.0/16)'],
  [[172, 16], 12, 'private (172.16.0.0/12)'],
  [[192, 0, 0], 24, 'IETF protocol (192.0.0.0/24)'],
  [[192, 0, 2], 24, 'documentation (192.0.2.0/24)'],
  [[192, 88, 99], 24, '6to4 relay (192.88.99.0/24)'],
  [[192, 168], 16, 'private (192.168.0.0/16)'],
  [[198, 18], 15, 'benchmarking (198.18.0.0/15)'],
  [[198, 51, 100], 24, 'documentation (198.51.100.0/24)'],
  [[203, 0, 113], 24, 'documentation (203.0.113.0/24)'],
  [[224], 4, 'multicast (224.0.0.0/4)'],
  [[255, 255, 255, 255], 32, 'broadcast (255.255.255.255)'],
  [[240], 4, 'reserved (240.0.0.0/4)'],
];

const IPV6_BLOCKS: [number[], number, string][] = [
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'local NAT64 (64:ff9b:1::/48)'],
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'discard-only (100::/64)'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation (2001:db8::/32)'],
  [[0x20, 0x01, 0x00, 0x00], 32, 'Teredo (2001::/32), which tunnels to an IPv4 address,'],
  [[0x20, 0x01, 0x00], 23, 'IETF protocol (2001::/23)'],
  [[0xfc], 7, 'unique-local (fc00::/7)'],
  [[0xfe, 0x80], 10, 'link-local (fe80::/10)'],
  [[0xfe, 0xc0], 10, 'site-local (fec0::/10)'],
  [[0xff], 8, 'multicast (ff00::/8)'],
];

function internalIPv4(bytes: Uint8Array): string | undefined {
  const block = IPV4_BLOCKS.find(([prefix, length]) => inBlock(bytes, prefix, length));
  return block ? `a ${block[2]} address` : undefined;
}

function internalIPv6(bytes: Uint8Array): string | undefined {
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.subarray(at, at + 4);
  const via = (form: string, at: number) => {
    const inner = internalIPv4(v4(at));
    return inner && `${inner.replace(/ address$/, '')} address in ${form}`;
  };
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return via('IPv4-mapped form (::ffff:0:0/96)', 12);
  if (zeros(0, 16)) return 'the unspecified address (::)';
  if (zeros(0, 15) && bytes[15] === 1) return 'the loopback address (::1)';
  if (zeros(0, 12)) return 'an IPv4-compatible address (::/96, deprecated)';
  if (inBlock(bytes, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return via('NAT64 form (64:ff9b::/96)', 12);
  if (inBlock(bytes, [0x20, 0x02], 16)) return via('6to4 form (2002::/16)', 2);
  const block = IPV6_BLOCKS.find(([prefix, length]) => inBlock(bytes, prefix, length));
  if (block) return `a ${block[2]} address`;
  // Only global unicast (2000::/3) is routed on the internet.
  return (bytes[0]! & 0xe0) === 0x20 ? undefined : 'not a global unicast address (2000::/3)';
}

function inBlock(bytes: Uint8Array, prefix: number[], length: number): boolean {
  for (let bit = 0; bit < length; bit += 8) {
    const index = bit / 8;
    const mask = length - bit >= 8 ? 0xff : (0xff << (8 - (length - bit))) & 0xff;
    if ((bytes[index]! & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** The 4 or 16 bytes of an address Node accepts (`isIP`), a zone index (`%eth0`) ignored. */
export function addressBytes(address: string): Uint8Array | undefined {
  const text = address.replace(/%[^%]*$/, '');
  const family = isIP(text);
  if (family === 4) return Uint8Array.from(text.split('.').map(Number));
  if (family !== 6) return undefined;
  const bytes = new Uint8Array(16);
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const groups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16)];
      const [a, b, c, d] = group.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back].forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}
