import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolyaxonfile } from '../src/load.js';
import { createLoader, LoadError } from '../src/resolve/loader.js';
import { isInternalAddress } from '../src/resolve/url-policy.js';

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
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'unresolved-reference',
        message: expect.stringMatching(new RegExp(`^${what} .* is outside .*, which references may not leave$`)),
      }),
    ]);
  });

  it('refuses hubRef names that try to climb out', async () => {
    const { diagnostics } = await load('hubRef: ../inside');
    expect(diagnostics[0]!.message).toContain('is not of the form `[owner/]name[:version]`');
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
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const refusal = async (url: string, options = {}) => {
    try {
      await createLoader(options).readUrl(url);
    } catch (error) {
      if (error instanceof LoadError) return error.message;
      throw error;
    }
    return 'downloaded';
  };

  it('refuses http:// and loopback addresses by default', async () => {
    expect(await refusal(`${base}/component.yaml`)).toContain(
      'only https:// URLs are downloaded (http:// needs --allow-private-urls)',
    );
    expect(await refusal(`https://127.0.0.1:1/component.yaml`)).toContain(
      '127.0.0.1 resolves to 127.0.0.1, a private, loopback or link-local address',
    );
    expect(await refusal('https://[::1]/x')).toContain('loopback');
  });

  it('downloads from an allowed internal address, within the size cap, and checks every redirect', async () => {
    expect(await refusal(`${base}/component.yaml`, { allowPrivateUrls: true })).toBe('downloaded');
    expect(await refusal(`${base}/big`, { allowPrivateUrls: true, maxBytes: 1000 })).toContain(
      'over the 1000-byte limit',
    );
    expect(await refusal(`${base}/redirect-to-file`, { allowPrivateUrls: true })).toContain(
      'refused (redirected to file:///etc/passwd): only https:// URLs are downloaded',
    );
  });

  it('recognises internal addresses in every notation', () => {
    for (const ip of [
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      expect(isInternalAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
      expect(isInternalAddress(ip), ip).toBe(false);
  });
});
