import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SPELLING, spellOptions } from '../src/diagnostics/option-names.js';
import { loadPolyaxonfile } from '../src/load.js';
import { downloadText, httpGet, type HttpGet, type Resolver } from '../src/resolve/fetch-url.js';
import { createLoader, LoadError, type LoaderOptions } from '../src/resolve/loader.js';
import { internalAddress } from '../src/resolve/url-policy.js';

/** References come from pull requests by strangers: they may not read outside the repository or reach internal addresses. */

const COMPONENT = 'version: 1.1\nkind: component\nrun: {kind: job, container: {image: alpine}}\n';

describe('pathRef and hubRef stay inside their folders', () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
  const repo = mkdtempSync(path.join(tmpdir(), 'repo-'));
  writeFileSync(path.join(outside, 'secret.yaml'), COMPONENT);
  mkdirSync(path.join(repo, 'hub'));
  writeFileSync(path.join(repo, 'inside.yaml'), COMPONENT);
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'link.yaml'));
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(repo, 'hub', 'evil.yaml'));

  const pipeline = (ref: string) =>
    `version: 1.1\nkind: component\nrun:\n  kind: dag\n  operations:\n  - {name: a, ${ref}}\n`;
  const load = (ref: string) =>
    loadPolyaxonfile('p.yaml', pipeline(ref), {
      absolutePath: path.join(repo, 'p.yaml'),
      rootDir: repo,
      hubDir: path.join(repo, 'hub'),
      cwd: repo,
    });

  it('follows a pathRef inside the repository', async () => {
    expect((await load('pathRef: inside.yaml')).diagnostics).toEqual([]);
  });

  it.each([
    [`pathRef: ${path.relative(repo, path.join(outside, 'secret.yaml'))}`, 'pathRef'],
    ['pathRef: link.yaml', 'pathRef'],
    ['hubRef: evil', 'hubRef'],
  ])('refuses %s, which leaves its folder', async (ref, what) => {
    const { diagnostics } = await load(ref);
    expect(diagnostics.map((d) => d.code)).toEqual(['unresolved-reference']);
    expect(diagnostics[0]!.message).toMatch(new RegExp(`^${what} .* is outside .*, which references may not leave$`));
  });

  it('refuses hubRef names that try to climb out', async () => {
    const { diagnostics } = await load('hubRef: ../inside');
    expect(diagnostics[0]!.message).toContain('is not of the form `[owner/]name[:version]`');
  });
});

describe('files that are not regular files', () => {
  it('are refused without being read: a FIFO as a pathRef, /dev/zero', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'repo-'));
    execFileSync('mkfifo', [path.join(repo, 'pipe.yaml')]);
    const { diagnostics } = await loadPolyaxonfile(
      'p.yaml',
      'version: 1.1\nkind: component\nrun:\n  kind: dag\n  operations:\n  - {name: a, pathRef: pipe.yaml}\n',
      { absolutePath: path.join(repo, 'p.yaml'), rootDir: repo, cwd: repo },
    );
    expect(diagnostics).toMatchObject([
      {
        code: 'unresolved-reference',
        message: '`pipe.yaml` is not a regular file (a named pipe)',
        location: { line: 6, column: 24 },
      },
    ]);
    await expect(createLoader({ cwd: '/' }).readPath('/dev/zero')).rejects.toThrow(
      '`dev/zero` is not a regular file (a character device)',
    );
  });

  it('are refused over the size cap and when not UTF-8', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'files-'));
    writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(2000));
    writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('name: caf\xe9\n', 'latin1'));
    const loader = createLoader({ cwd: dir, maxBytes: 1000 });
    await expect(loader.readPath(path.join(dir, 'big.yaml'))).rejects.toThrow(
      '`big.yaml` is 2000 bytes, over the 1000-byte limit',
    );
    await expect(loader.readPath(path.join(dir, 'latin1.yaml'))).rejects.toThrow(
      '`latin1.yaml` is not valid UTF-8 text',
    );
  });
});

/** Every address a urlRef must not reach, in every notation, and what the refusal calls it. */
const INTERNAL: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['0.0.0.0', '"this network"'],
  ['0.1.2.3', '"this network"'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT'],
  ['192.0.0.8', 'IETF protocol'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['192.88.99.1', '6to4 relay'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback (127.0.0.0/8) address in IPv4-mapped form'],
  ['::ffff:7f00:1', 'loopback (127.0.0.0/8) address in IPv4-mapped form'],
  ['::ffff:a9fe:a9fe', 'link-local (169.254.0.0/16) address in IPv4-mapped form'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::a00:1', 'IPv4-compatible'],
  ['64:ff9b::127.0.0.1', 'loopback (127.0.0.0/8) address in NAT64 form'],
  ['64:ff9b::a9fe:a9fe', 'link-local (169.254.0.0/16) address in NAT64 form'],
  ['64:ff9b:1::1', 'local NAT64'],
  ['2002:7f00:1::1', 'loopback (127.0.0.0/8) address in 6to4 form'],
  ['2002:c0a8:101::', 'private (192.168.0.0/16) address in 6to4 form'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2001:db8::1', 'documentation'],
  ['2001:2::1', 'IETF protocol'],
  ['100::1', 'discard-only'],
  ['fc00::1', 'unique-local'],
  ['fd12:3456::1', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'site-local'],
  ['ff02::1', 'multicast'],
  ['::2', 'IPv4-compatible'],
  ['1::1', 'not a global unicast address'],
  ['4000::1', 'not a global unicast address'],
];
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '100.63.255.255',
  '100.128.0.0',
  '172.15.255.255',
  '172.32.0.1',
  '198.17.255.255',
  '198.20.0.1',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4001:81c::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
  '2001:200::1',
];

describe('internal addresses', () => {
  it.each(INTERNAL)('%s is refused as %s', (address, what) => {
    expect(internalAddress(address)).toContain(what);
  });

  it.each(PUBLIC)('%s is public', (address) => {
    expect(internalAddress(address)).toBeUndefined();
  });
});

describe('urlRef downloads', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/component.yaml') return void res.end(COMPONENT);
      if (req.url === '/redirect-to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      if (req.url === '/big') return void res.end('x'.repeat(5000));
      if (req.url === '/silent') return; // never answers
      if (req.url === '/half') return void res.writeHead(200, { 'content-length': '1000' }).write('version: 1.1\n');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const refusal = async (url: string, options: LoaderOptions = {}) => {
    try {
      await createLoader(options).readUrl(url);
    } catch (error) {
      if (error instanceof LoadError) return spellOptions(error.message, CLI_SPELLING);
      throw error;
    }
    return 'downloaded';
  };

  it('refuses http:// and loopback addresses by default', async () => {
    expect(await refusal(`${base}/component.yaml`)).toContain(
      'only https:// URLs are downloaded (http:// needs `--allow-private-urls`)',
    );
    expect(await refusal(`https://127.0.0.1:1/component.yaml`)).toContain(
      'refused: 127.0.0.1 is a loopback (127.0.0.0/8) address (allow it with `--allow-private-urls`)',
    );
    expect(await refusal('https://[::1]/x')).toContain('::1 is the loopback address (::1)');
  });

  it.each([
    ['https://[::ffff:127.0.0.1]/c.yaml', '::ffff:7f00:1 is a loopback (127.0.0.0/8) address in IPv4-mapped form'],
    ['https://[::ffff:169.254.169.254]/latest', '::ffff:a9fe:a9fe is a link-local (169.254.0.0/16) address'],
    ['https://[64:ff9b::a9fe:a9fe]/latest', 'in NAT64 form'],
    ['https://[2002:7f00:1::1]/c.yaml', 'in 6to4 form'],
    ['https://[fe80::1]/c.yaml', 'link-local'],
    ['https://0x7f.0.0.1/c.yaml', '127.0.0.1 is a loopback'],
    ['https://2130706433/c.yaml', '127.0.0.1 is a loopback'],
    ['https://017700000001/c.yaml', '127.0.0.1 is a loopback'],
    ['https://127.1/c.yaml', '127.0.0.1 is a loopback'],
    ['https://0/c.yaml', '0.0.0.0 is a "this network"'],
    ['https://[::]/c.yaml', ':: is the unspecified address'],
    ['https://169.254.169.254./latest', '169.254.169.254 is a link-local'],
  ])('refuses %s in whatever spelling, before connecting', async (url, reason) => {
    expect(await refusal(url)).toContain(reason);
  });

  it('refuses a public-looking name that resolves to a private address, without connecting', async () => {
    const asked: string[] = [];
    const resolve: Resolver = (name) => {
      asked.push(name);
      return Promise.resolve([{ address: name.startsWith('six') ? 'fd00::1' : '10.0.0.7', family: 4 }]);
    };
    expect(await refusal('https://components.example.com/c.yaml', { resolve })).toBe(
      'urlRef `https://components.example.com/c.yaml` refused: components.example.com resolves to 10.0.0.7, a private (10.0.0.0/8) address (allow it with `--allow-private-urls`)',
    );
    expect(await refusal('https://six.example.com./c.yaml', { resolve })).toContain(
      'six.example.com. resolves to fd00::1, a unique-local (fc00::/7) address',
    );
    expect(asked).toEqual(['components.example.com', 'six.example.com.']);
  });

  it('connects to the address it checked: a name resolved by our resolver reaches the server it names', async () => {
    // With private addresses allowed, a made-up name leads to the loopback server: the answer
    // of the resolver the policy checked is the address the connection uses.
    let connections = 0;
    server.on('connection', () => connections++);
    const resolve: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const port = (server.address() as AddressInfo).port;
    expect(
      await refusal(`http://components.example.com:${port}/component.yaml`, { resolve, allowPrivateUrls: true }),
    ).toBe('downloaded');
    expect(connections).toBe(1);
    const before = connections;
    expect(await refusal(`https://components.example.com:${port}/component.yaml`, { resolve })).toContain(
      'resolves to 127.0.0.1, a loopback',
    );
    expect(connections).toBe(before);
  });

  it('checks the address of every redirect, and the scheme', async () => {
    const redirecting = (location: string): HttpGet => {
      let calls = 0;
      return (url, rules, signal) =>
        calls++ === 0 ? Promise.resolve({ status: 302, location }) : httpGet(url, rules, signal);
    };
    const download = async (location: string, resolve?: Resolver) => {
      const result = await downloadText('https://hub.example.com/c.yaml', {
        allowPrivate: false,
        maxBytes: 1000,
        timeoutMs: 5000,
        get: redirecting(location),
        ...(resolve ? { resolve } : {}),
      });
      return typeof result === 'string' ? result : { ...result, failure: spellOptions(result.failure, CLI_SPELLING) };
    };
    expect(await download('https://[::ffff:127.0.0.1]:9/c.yaml')).toMatchObject({
      refused: true,
      failure:
        '(redirected to https://[::ffff:7f00:1]:9/c.yaml): ::ffff:7f00:1 is a loopback (127.0.0.0/8) address in IPv4-mapped form (::ffff:0:0/96) (allow it with `--allow-private-urls`)',
    });
    expect(
      await download('https://metadata.example.com/latest', () =>
        Promise.resolve([{ address: '169.254.169.254', family: 4 }]),
      ),
    ).toMatchObject({
      refused: true,
      failure: expect.stringContaining('resolves to 169.254.169.254, a link-local') as string,
    });
    expect(await download('http://hub.example.com/c.yaml')).toMatchObject({
      refused: true,
      failure:
        '(redirected to http://hub.example.com/c.yaml): only https:// URLs are downloaded (http:// needs `--allow-private-urls`)',
    });
  });

  it('downloads from an allowed internal address, within the size cap, and checks every redirect', async () => {
    expect(await refusal(`${base}/component.yaml`, { allowPrivateUrls: true })).toBe('downloaded');
    expect(await refusal(`${base}/big`, { allowPrivateUrls: true, maxBytes: 1000 })).toBe(
      `cannot download urlRef \`${base}/big\`: it is over the 1000-byte limit`,
    );
    expect(await refusal(`${base}/redirect-to-file`, { allowPrivateUrls: true })).toContain(
      'refused: (redirected to file:///etc/passwd): only https:// URLs are downloaded',
    );
  });

  it('gives up after the time limit, whether the server is silent or stops half-way', async () => {
    for (const path of ['/silent', '/half']) {
      const started = Date.now();
      expect(await refusal(`${base}${path}`, { allowPrivateUrls: true, timeoutMs: 300 })).toBe(
        `cannot download urlRef \`${base}${path}\`: no complete answer within 300 ms`,
      );
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
