import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLoader } from '../src/resolve/loader.js';

/**
 * Hub folders as our CLI has always read them (`NAME.yaml`, `NAME/VERSION.yaml`) and as Polyaxon's
 * registry lays them out (a version-less `hubRef: NAME` is `NAME/latest.yaml`).
 */

const component = (image: string) => `version: 1.1\nkind: component\nrun: {kind: job, container: {image: ${image}}}\n`;

describe('hubRef in a hub folder', () => {
  const hub = mkdtempSync(path.join(tmpdir(), 'hub-'));
  mkdirSync(path.join(hub, 'tensorboard'));
  mkdirSync(path.join(hub, 'notebook'));
  writeFileSync(path.join(hub, 'tensorboard.yaml'), component('flat'));
  writeFileSync(path.join(hub, 'tensorboard', 'latest.yaml'), component('latest'));
  writeFileSync(path.join(hub, 'tensorboard', '2.16.yaml'), component('versioned'));
  writeFileSync(path.join(hub, 'notebook', 'latest.yaml'), component('registry-layout'));
  const loader = createLoader({ hubDir: hub, cwd: hub });

  it('reads NAME.yaml for a version-less reference, as before', async () => {
    expect((await loader.readHub('tensorboard')).text).toContain('flat');
  });

  it("falls back to NAME/latest.yaml, Polyaxon's registry layout", async () => {
    expect((await loader.readHub('notebook')).text).toContain('registry-layout');
  });

  it('reads NAME/VERSION.yaml for NAME:VERSION, latest included', async () => {
    expect((await loader.readHub('tensorboard:2.16')).text).toContain('versioned');
    expect((await loader.readHub('tensorboard:latest')).text).toContain('latest');
  });

  it('says where it looked when the component is missing', async () => {
    await expect(loader.readHub('missing')).rejects.toThrow(/missing\.yaml.*missing\/latest\.yaml/);
  });
});
