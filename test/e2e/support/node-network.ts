import { execFileSync } from 'node:child_process';

/**
 * The node's own network: the kubelet refuses a loopback node IP, so the node (containerd, the
 * kubelet and its pods) lives in a network namespace joined to this machine by a veth pair.
 *
 *   this machine (HOST_IP) ── veth ── node namespace (NODE_IP) ── bridge ── pods (POD_SUBNET)
 *
 * The apiserver listens on HOST_IP, so the kubelet and the pods' executors reach it; it reaches
 * the kubelet at NODE_IP for `pods/log` and `pods/exec`. Pods reach HOST_IP (the apiserver, the
 * scenario's stand-in server, the git daemon) and nothing else: the node namespace has no default
 * route, and this machine routes only the pod subnet back to it. Every address lives on this
 * machine's veth pair, which `remove` deletes with the namespace.
 */

export const NETNS = 'polyaxon-argo-e2e';
const HOST_LINK = 'pa-e2e0';
const NODE_LINK = 'pa-e2e1';
export const HOST_IP = '10.213.0.1';
export const NODE_IP = '10.213.0.2';
const LINK_PREFIX = 24;
export const POD_SUBNET = '10.213.1.0/24';
export const NETNS_PATH = `/run/netns/${NETNS}`;

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates the namespace and the veth pair (after removing what a crashed run left). */
export function createNodeNetwork(): void {
  removeNodeNetwork();
  const taken = ip('-4', '-o', 'addr', 'show')
    .split('\n')
    .filter((line) => / 10\.213\./.test(line));
  const routes = ip('-4', 'route', 'show')
    .split('\n')
    .filter((line) => line.startsWith('10.213.') || line.startsWith('10.0.0.0/8'));
  if (taken.length || routes.length)
    throw new Error(
      `the e2e node network 10.213.0.0/16 is already in use on this machine:\n${[...taken, ...routes].join('\n')}`,
    );
  ip('netns', 'add', NETNS);
  try {
    ip('link', 'add', HOST_LINK, 'type', 'veth', 'peer', 'name', NODE_LINK, 'netns', NETNS);
    ip('addr', 'add', `${HOST_IP}/${LINK_PREFIX}`, 'dev', HOST_LINK);
    ip('link', 'set', HOST_LINK, 'up');
    ip('-n', NETNS, 'addr', 'add', `${NODE_IP}/${LINK_PREFIX}`, 'dev', NODE_LINK);
    ip('-n', NETNS, 'link', 'set', NODE_LINK, 'up');
    ip('-n', NETNS, 'link', 'set', 'lo', 'up');
    ip('route', 'add', POD_SUBNET, 'via', NODE_IP, 'dev', HOST_LINK);
  } catch (error) {
    removeNodeNetwork();
    throw error;
  }
}

/**
 * Deletes the namespace, which takes the veth pair, its addresses and the route with it (the
 * kernel removes them a moment later: wait for it, so the next run can make them again).
 */
export function removeNodeNetwork(): void {
  for (const args of [
    ['netns', 'delete', NETNS],
    ['link', 'delete', HOST_LINK],
  ]) {
    try {
      ip(...args);
    } catch {
      // Already gone.
    }
  }
  for (const start = Date.now(); Date.now() - start < 10_000;) {
    try {
      ip('link', 'show', HOST_LINK);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
}
