import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { transpile } from '../src/transpile.js';
import { lintManifests } from './support/argo-lint.js';
import { startPolyaxonJudge, type PolyaxonJudge } from './support/polyaxon-judge.js';

/**
 * Strings JavaScript holds but Go's readers do not take as they are (argo reads manifests with
 * go-yaml through sigs.k8s.io/yaml, and with encoding/json): the real `argo lint` must read every
 * manifest, and YAML readers (ours and PyYAML) must get back exactly the strings written.
 */

const TEXTS: Record<string, string> = {
  'lone high surrogate': 'a\ud800b',
  'lone low surrogate': 'a\udc00b',
  'line separator U+2028': 'a\u2028b',
  'paragraph separator U+2029': 'a\u2029b',
  'next line U+0085': 'a\u0085b',
  'delete U+007F': 'a\u007fb',
  'C1 control U+009B': 'a\u009bb',
  'noncharacter U+FFFF': 'a\uffffb',
  'emoji (a surrogate pair)': 'a\u{1F600}b',
  'tab, NUL and escape': 'a\tb\u0000c\u001bd',
};

/** What Argo gets: a lone surrogate cannot be UTF-8, and Go turns it into U+FFFD. */
const expected = (text: string) => text.replace(/[\ud800-\udfff](?<![\ud800-\udbff](?=[\udc00-\udfff]))/gu, '\ufffd');

/** A Polyaxonfile whose job passes the text as a literal arg and as a pod annotation (Kubernetes limits keys to a few characters). */
function pipeline(text: string): string {
  const quoted = JSON.stringify(text); // a JSON string is a YAML double-quoted scalar with the same escapes
  return `version: 1.1
kind: component
name: texts
run:
  kind: job
  environment: {annotations: {note: ${quoted}}}
  container: {image: busybox, args: [${quoted}]}
`;
}

let judge: PolyaxonJudge;
beforeAll(async () => {
  judge = await startPolyaxonJudge();
}, 120_000);
afterAll(() => judge.close());

describe('manifests Go can read', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'go-readable-'));

  it('every text survives YAML and JSON output, and argo lint reads both', async () => {
    const files: string[] = [];
    const yamlTexts: string[] = [];
    for (const [name, text] of Object.entries(TEXTS)) {
      for (const format of ['yaml', 'json'] as const) {
        const result = await transpile('texts.yaml', pipeline(text), { kind: 'workflow', format, offline: true });
        expect(result.diagnostics, name).toEqual([]);
        const file = path.join(dir, `${name.replace(/\W+/g, '-')}.${format}`);
        writeFileSync(file, result.output!);
        files.push(file);
        const manifest = (
          format === 'yaml' ? parse(result.output!, { version: '1.1' }) : JSON.parse(result.output!)
        ) as {
          spec: { templates: { container?: { args: string[] } }[] };
        };
        const args = manifest.spec.templates.flatMap((t) => t.container?.args ?? []);
        expect(args, `${name} (${format})`).toContain(expected(text));
        if (format === 'yaml') yamlTexts.push(result.output!);
      }
    }
    const lint = await lintManifests(files);
    expect(Object.fromEntries(lint.errors)).toEqual({});
    expect(lint.ok).toBe(true);

    // PyYAML (a second, independent YAML reader) gets the same strings back.
    const read = (await judge.ask({ op: 'yaml', texts: yamlTexts })).values as { value?: unknown; error?: string }[];
    Object.values(TEXTS).forEach((text, i) => {
      expect(read[i]!.error).toBeUndefined();
      expect(JSON.stringify(read[i]!.value)).toContain(JSON.stringify(expected(text)).slice(1, -1));
    });
  });

  it('writes the characters go-yaml refuses raw or reads as line breaks as escapes in double quotes', async () => {
    const result = await transpile('texts.yaml', pipeline('x\u2028y\u0085z\u007f'), {
      kind: 'workflow',
      offline: true,
    });
    expect(result.output).toContain('"x\\u2028y\\x85z\\x7f"');
    expect(result.output).not.toMatch(/[\u2028\u0085\u007f]/);
  });

  it('leaves every other manifest byte-identical (the escape path only runs when needed)', async () => {
    const result = await transpile('texts.yaml', pipeline('plain text: é, 😀'), { kind: 'workflow', offline: true });
    expect(result.output).toContain('- "plain text: é, 😀"');
  });
});
