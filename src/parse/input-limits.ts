import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Diagnostic, Location } from '../diagnostics/diagnostic.js';

/**
 * Bounds on what one Polyaxonfile may hold, checked on the parsed document before anything
 * else reads it, so hostile input gets a located one-line refusal instead of a stack overflow
 * deeper in the pipeline, an Argo manifest too large for etcd, or a key that reaches into
 * JavaScript's object prototypes. (The file's size is capped before parsing, and alias
 * expansion while converting.)
 */
export const INPUT_LIMITS = {
  /** Levels of mappings and lists. Real Polyaxonfiles, nested dags and affinities included, use a few dozen. */
  depth: 128,
  /** Characters in one value or key: Argo keeps a whole Workflow in one etcd object of 1.5 MB. */
  scalar: 256 * 1024,
  /** Characters in a `name`: Kubernetes' longest object name. */
  name: 253,
};

/** Keys that name JavaScript's prototype machinery: no Polyaxon or Kubernetes field uses them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor']);

/** One node still to visit; `key` is the mapping key a value sits under, `isKey` marks keys. */
interface Visit {
  node: unknown;
  depth: number;
  key?: unknown;
  isKey?: boolean;
}

/** The first place in `document` that breaks a limit, or none. Iterative: depth cannot overflow it. */
export function checkInputLimits(document: Document, at: (offset: number) => Location): Diagnostic[] {
  const stack: Visit[] = [{ node: document.contents, depth: 0 }];
  while (stack.length) {
    const { node, depth, key, isKey } = stack.pop()!;
    const offset = (node as Node | null)?.range?.[0] ?? 0;
    if (isMap(node) || isSeq(node)) {
      if (depth >= INPUT_LIMITS.depth) {
        return [
          refusal(
            'too-deep',
            `this value nests more than ${INPUT_LIMITS.depth} levels of mappings and lists; a Polyaxonfile needs a few dozen at most`,
            at(offset),
            'flatten the structure; if it was generated, check the generator',
          ),
        ];
      }
      for (const item of [...node.items].reverse()) {
        if (isPair(item))
          stack.push(
            { node: item.value, depth: depth + 1, key: item.key },
            { node: item.key, depth: depth + 1, isKey: true },
          );
        else stack.push({ node: item, depth: depth + 1 });
      }
    } else if (isScalar(node) && typeof node.value === 'string') {
      const length = node.value.length;
      if (length > INPUT_LIMITS.scalar) {
        return [
          refusal(
            'too-long',
            `this value is ${length} characters long, over the ${INPUT_LIMITS.scalar}-character limit for one value`,
            at(offset),
            'keep large data out of the Polyaxonfile: pass a path or a URL to it',
          ),
        ];
      }
      if (isKey && RESERVED_KEYS.has(node.value)) {
        return [
          refusal(
            'reserved-key',
            `\`${node.value}\` cannot be a key: it names JavaScript's object prototype, and no Polyaxonfile field uses it`,
            at(offset),
            'rename the key',
          ),
        ];
      }
      if (isScalar(key) && key.value === 'name' && length > INPUT_LIMITS.name) {
        return [
          refusal(
            'too-long',
            `this name is ${length} characters long, over the ${INPUT_LIMITS.name}-character limit for names`,
            at(offset),
            'use a shorter name',
          ),
        ];
      }
    }
  }
  return [];
}

const refusal = (code: DiagnosticCode, message: string, location: Location, hint: string): Diagnostic =>
  diagnostic({
    code,
    message,
    location,
    hint,
  });
