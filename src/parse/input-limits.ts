import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Diagnostic, Location } from '../diagnostics/diagnostic.js';
import { formatCount } from '../diagnostics/format.js';

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
  /** Alias nodes (`*name`) in one file: real files use a handful. */
  aliases: 1000,
  /**
   * Size of the file with every alias replaced by what it names (characters of keys and values,
   * plus one per node): twice the default size cap. Aliases of aliases multiply, so a file of a
   * few kilobytes could otherwise stand for gigabytes of values and manifest.
   */
  expanded: 8 * 1024 * 1024,
};

/** Keys that name JavaScript's prototype machinery: no Polyaxon or Kubernetes field uses them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor']);

/** The first place in `document` that breaks a limit, or none. Its recursion stops at INPUT_LIMITS.depth. */
export function checkInputLimits(document: Document, at: (offset: number) => Location): Diagnostic[] {
  let hasAliases = false;
  const where = (node: unknown) => at((node as Node | null)?.range?.[0] ?? 0);
  /** `key`: the mapping key a value sits under; `isKey`: the node is a key. */
  const visit = (node: unknown, depth: number, key?: unknown, isKey = false): Diagnostic | undefined => {
    if (isMap(node) || isSeq(node)) {
      if (depth >= INPUT_LIMITS.depth)
        return refusal(
          'too-deep',
          `this value nests more than ${INPUT_LIMITS.depth} levels of mappings and lists; a Polyaxonfile needs a few dozen at most`,
          where(node),
          'flatten the structure; if it was generated, check the generator',
        );
      for (const item of node.items as unknown[]) {
        const found = isPair(item)
          ? (visit(item.key, depth + 1, undefined, true) ?? visit(item.value, depth + 1, item.key))
          : visit(item, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    if (isAlias(node)) hasAliases = true;
    if (!isScalar(node) || typeof node.value !== 'string') return undefined;
    const length = node.value.length;
    if (length > INPUT_LIMITS.scalar)
      return refusal(
        'too-long',
        `this value is ${length} characters long, over the ${INPUT_LIMITS.scalar}-character limit for one value`,
        where(node),
        'keep large data out of the Polyaxonfile: pass a path or a URL to it',
      );
    if (isKey && RESERVED_KEYS.has(node.value))
      return refusal(
        'reserved-key',
        `\`${node.value}\` cannot be a key: it names JavaScript's object prototype, and no Polyaxonfile field uses it`,
        where(node),
        'rename the key',
      );
    if (isScalar(key) && key.value === 'name' && length > INPUT_LIMITS.name)
      return refusal(
        'too-long',
        `this name is ${length} characters long, over the ${INPUT_LIMITS.name}-character limit for names`,
        where(node),
        'use a shorter name',
      );
    return undefined;
  };
  const found = visit(document.contents, 0);
  if (found) return [found];
  // Measuring what aliases expand to walks the file again: only files that have aliases need it.
  return hasAliases ? checkAliases(document, at) : [];
}

interface Measure {
  /** Characters of keys and values plus one per node, aliases expanded. */
  size: number;
  /** Levels of mappings and lists, aliases expanded. */
  height: number;
}

/**
 * What the aliases make of the file: at most INPUT_LIMITS.aliases of them, no alias inside the
 * value it names (a cycle), and, expanded, at most INPUT_LIMITS.expanded in size and
 * INPUT_LIMITS.depth in depth. Each node is measured once (an alias reuses the measure of the
 * node it names), so this takes time linear in the file whatever the expansion. Runs after the
 * depth check, so its recursion is bounded.
 */
function checkAliases(document: Document, at: (offset: number) => Location): Diagnostic[] {
  const anchors = new Map<string, Node>();
  const measures = new Map<Node, Measure>();
  let aliases = 0;
  let expanded = 0;
  let found: Diagnostic | undefined;
  const none: Measure = { size: 0, height: 0 };

  const measure = (node: unknown, depth: number): Measure => {
    if (found || node === null || typeof node !== 'object') return none;
    const offset = (node as Node).range?.[0] ?? 0;
    if (isAlias(node)) {
      if (++aliases > INPUT_LIMITS.aliases) {
        found = refusal(
          'too-long',
          `this file uses more than ${formatCount(INPUT_LIMITS.aliases)} aliases`,
          at(offset),
          'write the values out, or generate the file without anchors and aliases',
        );
        return none;
      }
      const target = anchors.get(node.source);
      if (!target) return none; // an undefined alias: the parser reports it
      const known = measures.get(target);
      if (!known) {
        found = refusal(
          'too-deep',
          `the alias \`*${node.source}\` is inside the value it names, which would then contain itself without end`,
          at(offset),
          'an alias can only repeat a value that is complete where the alias is',
        );
        return none;
      }
      expanded += known.size;
      if (expanded > INPUT_LIMITS.expanded)
        found = refusal(
          'too-long',
          `with its aliases expanded, this file passes ${INPUT_LIMITS.expanded / 1024 / 1024} MiB here (aliases of aliases multiply)`,
          at(offset),
          'repeat less through aliases; large values belong outside the Polyaxonfile',
        );
      else if (depth + known.height > INPUT_LIMITS.depth)
        found = refusal(
          'too-deep',
          `with the alias \`*${node.source}\` expanded, this value nests more than ${INPUT_LIMITS.depth} levels of mappings and lists`,
          at(offset),
          'flatten the structure',
        );
      return known;
    }
    // Registered before the children are measured: an alias among them names an unfinished node.
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    let result: Measure;
    if (isMap(node) || isSeq(node)) {
      let size = 1;
      let height = 0;
      for (const item of node.items) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        for (const part of parts) {
          const child = measure(part, depth + 1);
          size += child.size;
          height = Math.max(height, child.height);
        }
      }
      result = { size, height: height + 1 };
    } else {
      const value = isScalar(node) ? node.value : undefined;
      const size = 1 + (typeof value === 'string' ? value.length : 0);
      expanded += size;
      result = { size, height: 0 };
    }
    measures.set(node as Node, result);
    return result;
  };
  measure(document.contents, 0);
  return found ? [found] : [];
}

const refusal = (code: DiagnosticCode, message: string, location: Location, hint: string): Diagnostic =>
  diagnostic({
    code,
    message,
    location,
    hint,
  });
