import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toClusterError } from '../src/cluster/argo-api.js';
import { KubeResponseError } from '../src/cluster/kube-client.js';
import { loadKubeConfig } from '../src/cluster/kubeconfig.js';

/**
 * Our Kubernetes client against local servers: TLS verified against the kubeconfig's CA, client
 * certificates, tokens from files and exec plugins, basic auth, watches. (The e2e suite runs it
 * against the real kube-apiserver.)
 */

const dir = mkdtempSync(path.join(tmpdir(), 'kube-client-'));
const pem = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const b64 = (name: string) => Buffer.from(pem(name)).toString('base64');

/** A CA, a server certificate for 127.0.0.1 and `kube.internal`, and a client certificate, by openssl. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=test-ca',
  );
  for (const [name, subject, extension] of [
    ['server', '/CN=kube', 'subjectAltName=IP:127.0.0.1,DNS:kube.internal'],
    ['other', '/CN=other', 'subjectAltName=DNS:kube.internal'],
    ['client', '/CN=ci-robot/O=system:masters', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    writeFileSync(path.join(dir, `${name}.ext`), `${extension}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
}

interface Seen {
  authorization?: string;
  clientCn?: string;
  url: string;
}
const seen: Seen[] = [];

function answer(req: IncomingMessage, res: ServerResponse): void {
  const peer = (req.socket as TLSSocket).getPeerCertificate?.();
  seen.push({
    url: req.url ?? '',
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    ...(peer?.subject?.CN ? { clientCn: String(peer.subject.CN) } : {}),
  });
  if (req.url?.includes('watch=true')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"1"}}}\n{"type":"MOD');
    res.end('IFIED","object":{"metadata":{"name":"a","resourceVersion":"2"}}}\n\n');
    return;
  }
  if (req.url?.startsWith('/missing')) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'nothing here' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, url: req.url }));
}

let tlsServer: ReturnType<typeof createHttpsServer>;
let plainServer: ReturnType<typeof createHttpServer>;
let tlsUrl = '';
let plainUrl = '';

beforeAll(async () => {
  makeCertificates();
  tlsServer = createHttpsServer(
    {
      key: pem('server.key'),
      cert: pem('server.crt'),
      ca: pem('ca.crt'),
      requestCert: true,
      rejectUnauthorized: false,
    },
    answer,
  );
  plainServer = createHttpServer(answer);
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => plainServer.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
  plainUrl = `http://127.0.0.1:${(plainServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  await new Promise<void>((resolve) => plainServer.close(() => resolve()));
});

const kubeconfig = (cluster: string, user: string) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
${cluster.replace(/^/gm, '    ')}
users:
- name: u
  user:
${user.replace(/^/gm, '    ')}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`;

describe('the Kubernetes client', () => {
  it('verifies the server against the kubeconfig CA and authenticates with its client certificate', async () => {
    const client = loadKubeConfig(
      kubeconfig(
        `server: ${tlsUrl}\ncertificate-authority-data: ${b64('ca.crt')}`,
        `client-certificate-data: ${b64('client.crt')}\nclient-key-data: ${b64('client.key')}`,
      ),
    );
    expect(await client.json('GET', '/api/v1/namespaces/ml/pods', { query: { labelSelector: 'a=b' } })).toEqual({
      ok: true,
      url: '/api/v1/namespaces/ml/pods?labelSelector=a%3Db',
    });
    expect(seen.at(-1)).toMatchObject({ clientCn: 'ci-robot' });
    client.close();
  });

  it('refuses a server its CA did not sign, and does not try again', async () => {
    const client = loadKubeConfig(kubeconfig(`server: ${tlsUrl}`, 'token: abc'));
    const error = toClusterError('read workflow w', await client.json('GET', '/x').catch((e: unknown) => e), 'ml');
    expect(error.message).toMatch(/^cannot read workflow w: .*(self-signed|unable to (get|verify))/i);
    expect(error.connection).toBeUndefined();
  });

  it('checks the certificate against tls-server-name when the address is not in it', async () => {
    const other = createHttpsServer({ key: pem('other.key'), cert: pem('other.crt') }, answer);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const cluster = `server: ${url}\ncertificate-authority-data: ${b64('ca.crt')}`;
    await expect(loadKubeConfig(kubeconfig(cluster, 'token: abc')).json('GET', '/x')).rejects.toThrow(
      /IP: 127\.0\.0\.1 is not in the cert's list/,
    );
    const named = loadKubeConfig(kubeconfig(`${cluster}\ntls-server-name: kube.internal`, 'token: abc'));
    expect(await named.json('GET', '/x')).toMatchObject({ ok: true });
    named.close();
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('sends a bearer token, a token file or basic credentials', async () => {
    writeFileSync(path.join(dir, 'token'), 'from-a-file\n');
    const secrets: string[] = [];
    for (const user of ['token: plain-token', `tokenFile: ${path.join(dir, 'token')}`, 'username: ada\npassword: pw']) {
      await loadKubeConfig(kubeconfig(`server: ${plainUrl}`, user), { onSecret: (s) => secrets.push(s) }).json(
        'GET',
        '/x',
      );
    }
    expect(seen.slice(-3).map((s) => s.authorization)).toEqual([
      'Bearer plain-token',
      'Bearer from-a-file',
      `Basic ${Buffer.from('ada:pw').toString('base64')}`,
    ]);
    expect(secrets).toEqual(['from-a-file']);
  });

  it('runs an exec plugin as kubectl does, reusing its credential until it expires', async () => {
    const plugin = path.join(dir, 'plugin.mjs');
    const calls = path.join(dir, 'plugin-calls');
    writeFileSync(calls, '');
    writeFileSync(
      plugin,
      `import { appendFileSync } from 'node:fs';
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ info, region: process.env.REGION, args: process.argv.slice(2) }) + '\\n');
const expired = process.argv.includes('--expired');
console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: 'exec-token-' + Date.now(), expirationTimestamp: new Date(Date.now() + (expired ? -1000 : 3600000)).toISOString() } }));
`,
    );
    const exec = (extra: string) =>
      `exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: ${process.execPath}\n  args: [${plugin}, get-token${extra}]\n  env: [{name: REGION, value: eu-west-1}]\n  provideClusterInfo: true\n  interactiveMode: Never`;
    const secrets: string[] = [];
    const client = loadKubeConfig(kubeconfig(`server: ${plainUrl}`, exec('')), { onSecret: (s) => secrets.push(s) });
    await client.json('GET', '/a');
    await client.json('GET', '/b');
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      info: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        kind: 'ExecCredential',
        spec: { interactive: false, cluster: { server: plainUrl } },
      },
      region: 'eu-west-1',
      args: ['get-token'],
    });
    expect(seen.slice(-2).map((s) => s.authorization)).toEqual([`Bearer ${secrets[0]}`, `Bearer ${secrets[0]}`]);

    const expiring = loadKubeConfig(kubeconfig(`server: ${plainUrl}`, exec(', --expired')));
    await expiring.json('GET', '/c');
    await expiring.json('GET', '/d');
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('says which credential plugin is missing, with its install hint', async () => {
    const client = loadKubeConfig(
      kubeconfig(
        `server: ${plainUrl}`,
        'exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: no-such-plugin-xyz\n  installHint: install it from example.com',
      ),
    );
    await expect(client.json('GET', '/x')).rejects.toThrow(
      'the kubeconfig runs `no-such-plugin-xyz` for credentials, and it is not installed on the runner (install it from example.com)',
    );
  });

  it('refuses what it does not support with a reason, not a silent fallback', () => {
    expect(() => loadKubeConfig(kubeconfig(`server: ${plainUrl}`, 'auth-provider: {name: gcp}'))).toThrow(
      /legacy auth-provider `gcp`/,
    );
    expect(() => loadKubeConfig(kubeconfig(`server: ${plainUrl}\nproxy-url: http://proxy:3128`, 'token: abc'))).toThrow(
      /`proxy-url`, which the Action does not support/,
    );
    expect(() => loadKubeConfig('just: [text')).toThrow(/is not a valid kubeconfig/);
    expect(() => loadKubeConfig('apiVersion: v1\nkind: Config\n')).toThrow(/has no current context with a cluster/);
    expect(() => loadKubeConfig('', { env: {} })).toThrow(/no cluster to submit to/);
  });

  it('reads a watch line by line, across chunk boundaries, and answers errors with their Status', async () => {
    const client = loadKubeConfig(kubeconfig(`server: ${plainUrl}`, 'token: abc'));
    const events: unknown[] = [];
    await client.watch('/w', { resourceVersion: '0' }, (event) => events.push(event), new AbortController().signal);
    expect(events).toEqual([
      { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '1' } } },
      { type: 'MODIFIED', object: { metadata: { name: 'a', resourceVersion: '2' } } },
    ]);
    expect(seen.at(-1)!.url).toBe('/w?resourceVersion=0&watch=true');
    const missing = await client.json('GET', '/missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KubeResponseError);
    expect(toClusterError('read workflow w', missing, 'ml').message).toBe(
      "cannot read workflow w: nothing here (does namespace ml exist, with Argo's CRDs installed?)",
    );
  });
});
