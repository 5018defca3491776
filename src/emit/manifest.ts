import { stringify } from 'yaml';
import type { Manifest } from '../argo/types.js';

export type OutputFormat = 'yaml' | 'json';

/**
 * Manifest → text. Objects are written in the order they were built (fixed by the lowering),
 * so the same input always gives byte-identical output. YAML never uses anchors or aliases,
 * and long strings are not folded, so diffs stay line-for-line.
 */
export function emitManifest(manifest: Manifest, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(manifest, null, 2)}\n`;
  // YAML 1.1 quoting: Kubernetes' parser reads `yes`, `on` or `0777` the 1.1 way, so such strings must be quoted.
  return stringify(manifest, { aliasDuplicateObjects: false, lineWidth: 0, version: '1.1' });
}
