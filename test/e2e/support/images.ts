import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../support/paths.js';
import type { Node } from './node.js';

/**
 * The images pods run. No registry is reachable, so each is an OCI image built here from the
 * layers scripts/setup-node.sh prepared, and imported into the node's containerd under the exact
 * names pods ask for; the kubelet finds them present and pulls nothing (every image a pipeline
 * names has a tag, so its pull policy is IfNotPresent).
 *
 *   pause     the pod sandbox
 *   argoexec  Argo's executor, under the name the workflow-controller is told to use
 *   stand-in  every image a pipeline or scenario names: each program those images run is the
 *             stand-in (test/e2e/images/standin), which reports to the scenario and does what it
 *             says, busybox and git included as the real programs it can hand over to
 */

const LAYERS = path.join(REPO_ROOT, '.tools', 'e2e-images');

/** The executor image the workflow-controller puts in every pod. */
export const ARGOEXEC_IMAGE = 'quay.io/argoproj/argoexec:e2e';

/**
 * What each image runs when a container gives no command (the emissary executor needs it
 * spelled out; the controller reads it from its `images` index since no registry is reachable).
 * Keyed by repository; ghcr.io/acme/NAME images not listed run `NAME`.
 */
const ENTRYPOINTS: Record<string, { entrypoint?: string[]; cmd?: string[] }> = {
  'docker.io/library/alpine': { cmd: ['/bin/sh'] },
  'docker.io/library/busybox': { cmd: ['sh'] },
  'docker.io/library/python': { cmd: ['python3'] },
  'docker.io/library/redis': { entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] },
  'docker.io/alpine/git': { entrypoint: ['git'] },
  'docker.io/curlimages/curl': { entrypoint: ['/entrypoint.sh'], cmd: ['curl'] },
  'docker.io/prom/pushgateway': { entrypoint: ['/bin/pushgateway'] },
  'docker.io/tensorflow/tensorflow': { cmd: ['bash'] },
  'gcr.io/kaniko-project/executor': { entrypoint: ['/kaniko/executor'] },
  'ghcr.io/acme/train': { entrypoint: ['python', 'train.py'] },
  'ghcr.io/acme/eval': { entrypoint: ['python', 'evaluate.py'] },
};

/** `alpine:3.20` → `docker.io/library/alpine:3.20`, as containerd names images. */
export function normalizeImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash === -1 ? '' : image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let name = hasRegistry ? image : `docker.io/${slash === -1 ? 'library/' : ''}${image}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) name += ':latest';
  return name;
}

/** The entrypoint index entry of an image (by its name as written in the pipeline). */
export function entrypointOf(image: string): { entrypoint?: string[]; cmd?: string[] } {
  const normalized = normalizeImage(image);
  const repository = normalized.replace(/[:@][^/]*$/, '');
  const known = ENTRYPOINTS[repository];
  if (known) return known;
  const acme = /^ghcr\.io\/acme\/(.+)$/.exec(repository);
  return { entrypoint: [acme ? acme[1]! : 'run'] };
}

export interface ImageUse {
  /** Every image named, as written. */
  images: Set<string>;
  /** Every program those images are asked to run: bare names and absolute paths. */
  programs: Set<string>;
}

/**
 * The images and programs named by the example pipelines (their sources and golden manifests,
 * hub and path-referenced components) and by the scenarios' own inline pipelines, plus the
 * programs the entrypoint index says each image runs.
 */
export function imagesInUse(): ImageUse {
  const use: ImageUse = { images: new Set(), programs: new Set() };
  const pipelines = path.join(REPO_ROOT, 'fixtures', 'pipelines');
  for (const file of walk(pipelines).filter((f) => /\.(ya?ml|json)$/.test(f))) {
    for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) collect(document.toJS(), use);
  }
  // The scenarios' inline pipelines (YAML flow mappings inside template strings).
  for (const file of walk(path.join(REPO_ROOT, 'test', 'e2e')).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bimage: "?([a-z0-9][\w./:-]*[\w])"?/g)) use.images.add(match[1]!);
    for (const match of text.matchAll(/\bcommand: \[\s*"?([\w./-]+)"?/g)) use.programs.add(match[1]!);
  }
  for (const image of use.images) {
    const { entrypoint, cmd } = entrypointOf(image);
    const first = entrypoint?.[0] ?? cmd?.[0];
    if (first) use.programs.add(first);
  }
  return use;
}

function collect(value: unknown, use: ImageUse): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, use);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  if (typeof object.image === 'string' && !object.image.includes('{{')) use.images.add(object.image);
  const command = object.command;
  if (Array.isArray(command) && typeof command[0] === 'string' && !command[0].includes('{{'))
    use.programs.add(command[0]);
  for (const child of Object.values(object)) collect(child, use);
}

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(folder, entry.name)) : [path.join(folder, entry.name)],
  );
}

interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
}

interface Blob {
  digest: string;
  size: number;
  file: string;
}

/**
 * Writes an OCI image layout holding one image (its layers, config and manifest) under every
 * name in `names`, as a tarball `ctr images import` reads.
 */
function imageArchive(work: string, layers: string[], config: ImageConfig, names: string[]): string {
  const layout = mkdtempSync(path.join(work, 'layout-'));
  const blobs = path.join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const addFile = (file: string): Blob => {
    const content = readFileSync(file);
    const digest = createHash('sha256').update(content).digest('hex');
    const target = path.join(blobs, digest);
    try {
      linkSync(file, target);
    } catch {
      copyFileSync(file, target);
    }
    return { digest: `sha256:${digest}`, size: content.length, file: target };
  };
  const addJson = (object: unknown): Blob => {
    const file = path.join(layout, 'blob.json');
    writeFileSync(file, JSON.stringify(object));
    const blob = addFile(file);
    rmSync(file);
    return blob;
  };
  const layerBlobs = layers.map(addFile);
  const configBlob = addJson({
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: config.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
      ...(config.cmd ? { Cmd: config.cmd } : {}),
    },
    rootfs: { type: 'layers', diff_ids: layerBlobs.map((b) => b.digest) },
  });
  const manifest = addJson({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configBlob.digest, size: configBlob.size },
    layers: layerBlobs.map((b) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      digest: b.digest,
      size: b.size,
    })),
  });
  writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: names.map((name) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: manifest.digest,
        size: manifest.size,
        annotations: { 'io.containerd.image.name': name },
      })),
    }),
  );
  const archive = `${layout}.tar`;
  execFileSync('tar', ['-C', layout, '-cf', archive, '.']);
  rmSync(layout, { recursive: true, force: true });
  return archive;
}

/** A layer of symbolic links to the stand-in: one per program name or absolute path. */
function programsLayer(work: string, programs: Iterable<string>): string {
  const root = mkdtempSync(path.join(work, 'programs-'));
  mkdirSync(path.join(root, 'usr', 'local', 'bin'), { recursive: true });
  for (const program of new Set(programs)) {
    if (program.startsWith('/')) {
      if (program.startsWith('/usr/local/bin/') || program === '/bin/sh') continue;
      const target = path.join(root, program);
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync('/usr/local/bin/standin', target);
    } else if (!program.includes('/') && program !== 'standin') {
      try {
        symlinkSync('standin', path.join(root, 'usr', 'local', 'bin', program));
      } catch {
        // Listed twice.
      }
    }
  }
  const layer = `${root}.tar`;
  execFileSync('tar', [
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--mtime=@0',
    '-C',
    root,
    '-cf',
    layer,
    '.',
  ]);
  rmSync(root, { recursive: true, force: true });
  return layer;
}

/**
 * Imports the pause, argoexec and stand-in images into the node. The stand-in's environment
 * tells it where the scenario server is, and points git's https://github.com/ at the suite's
 * git daemon.
 */
export function importImages(
  node: Node,
  work: string,
  use: ImageUse,
  options: { standinUrl: string; gitUrl: string },
): void {
  mkdirSync(work, { recursive: true });
  const archives = [
    imageArchive(work, [path.join(LAYERS, 'pause.tar')], { entrypoint: ['/pause'] }, [
      normalizeImage('registry.k8s.io/pause:3.10'),
    ]),
    imageArchive(work, [path.join(LAYERS, 'argoexec.tar')], { entrypoint: ['argoexec'], env: ['PATH=/bin'] }, [
      ARGOEXEC_IMAGE,
    ]),
    imageArchive(
      work,
      [path.join(LAYERS, 'standin.tar'), programsLayer(work, use.programs)],
      {
        cmd: ['sh'],
        env: [
          'PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          `E2E_STANDIN_URL=${options.standinUrl}`,
          'GIT_CONFIG_COUNT=1',
          `GIT_CONFIG_KEY_0=url.${options.gitUrl}/.insteadOf`,
          'GIT_CONFIG_VALUE_0=https://github.com/',
        ],
      },
      [...new Set([...use.images].map(normalizeImage))].sort(),
    ),
  ];
  for (const archive of archives) node.ctr('images', 'import', archive);
}
