import { Document, stringify, visit } from 'yaml';
import type { Manifest } from '../argo/types.js';

export type OutputFormat = 'yaml' | 'json';

/**
 * Manifest → text. Objects are written in the order they were built (fixed by the lowering),
 * so the same input always gives byte-identical output. YAML never uses anchors or aliases,
 * and long strings are not folded, so diffs stay line-for-line.
 *
 * Argo reads manifests with Go (sigs.k8s.io/yaml over go-yaml, and encoding/json), which does
 * not read every string JavaScript can hold; see readableByGo.
 */
export function emitManifest(manifest: Manifest, format: OutputFormat): string {
  const { value, escape } = readableByGo(manifest);
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  // YAML 1.1 quoting: Kubernetes' parser reads `yes`, `on` or `0777` the 1.1 way, so such strings must be quoted.
  // No directive is ever written (the default tags need no `%TAG`), so none is looked for: `yaml`
  // would otherwise walk the whole tree for tags first (75 ms of a 5,000-operation transpile).
  const options = { aliasDuplicateObjects: false, directives: false, lineWidth: 0, version: '1.1' } as const;
  if (!escape) return stringify(value, options);
  const document = new Document(value, options);
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && GO_YAML_ESCAPE.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString(options).replace(GO_YAML_ESCAPES, escapeForGoYaml);
}

/**
 * Characters go-yaml refuses to read raw ("control characters are not allowed": DEL, the C1
 * controls, U+FFFE, U+FFFF) or reads as a line break (NEL U+0085, U+2028, U+2029), so a plain
 * or double-quoted string holding one would fail or change. Written as escapes in double quotes.
 */
const GO_YAML_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/;
const GO_YAML_ESCAPES = new RegExp(GO_YAML_ESCAPE.source, 'g');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
/** Either of the above may be in a string holding this: one test clears almost every string. */
const UNUSUAL = /[\u007f-\u009f\u2028\u2029\ufffe\uffff\ud800-\udfff]/;

function escapeForGoYaml(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
}

/**
 * The manifest with lone UTF-16 surrogates (from a `"\ud800"` escape in the Polyaxonfile) replaced
 * by U+FFFD: UTF-8 cannot hold them, go-yaml refuses their escape and Go's JSON reader turns
 * them into U+FFFD anyway, as it does for Polyaxon's own manifests. `escape`: whether some string
 * holds a character that YAML must escape (GO_YAML_ESCAPE). Copied only when something changes.
 */
function readableByGo(manifest: Manifest): { value: unknown; escape: boolean } {
  let escape = false;
  let surrogates = false;
  const scan = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!UNUSUAL.test(value)) return;
      if (GO_YAML_ESCAPE.test(value)) escape = true;
      if (LONE_SURROGATE.test(value)) surrogates = true;
    } else if (Array.isArray(value)) value.forEach(scan);
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        scan(k);
        scan(v);
      }
  };
  scan(manifest);
  if (!surrogates) return { value: manifest, escape };
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(LONE_SURROGATES, '\ufffd');
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k) as string, clean(v)]));
    return value;
  };
  return { value: clean(manifest), escape };
}
