import path from 'node:path';

/**
 * The repository's reference graph: which Polyaxonfile uses which other file, through `pathRef`
 * (relative to the referencing file), `hubRef` (a file of the hub folder) and the connections
 * catalog. A pull request that changes a component, a hub file or the catalog re-checks every
 * pipeline that uses it, directly or through other components, and says why. Pure: the caller
 * reads the files, this only follows references.
 */

/** One file another one uses, repository-relative. */
export interface Use {
  target: string;
  via: 'pathRef' | 'hubRef' | 'connections';
}

export interface GraphContext {
  /** Every file of the repository the graph may name (to find which hub candidate exists). */
  files: ReadonlySet<string>;
  /** The hub folder, repository-relative (the `hub` input), if any. */
  hubDir?: string;
  /** The connections catalog, repository-relative (the `connections` input), if any. */
  catalog?: string;
}

/**
 * The files a Polyaxonfile's document uses. It walks the whole document, so references in nested
 * dags, inline components and hooks count too; a `pathRef` or `hubRef` given as a template is
 * left out (it names no file until run time).
 */
export function usesOf(file: string, document: unknown, context: GraphContext): Use[] {
  const uses = new Map<string, Use>();
  const add = (use: Use) => uses.set(`${use.via}:${use.target}`, use);
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (typeof value === 'string') {
      if (context.catalog && /\{\{\s*connections\./.test(value)) add({ via: 'connections', target: context.catalog });
      return;
    }
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'pathRef' && typeof inner === 'string' && !inner.includes('{{')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), inner));
        if (!target.startsWith('../')) add({ via: 'pathRef', target });
      } else if (key === 'hubRef' && typeof inner === 'string' && !inner.includes('{{')) {
        const target = hubFile(inner, context);
        if (target) add({ via: 'hubRef', target });
      } else if ((key === 'connections' || key === 'connection') && context.catalog && inner) {
        add({ via: 'connections', target: context.catalog });
      }
      walk(inner);
    }
  };
  walk(document);
  return [...uses.values()].sort((a, b) => a.target.localeCompare(b.target) || a.via.localeCompare(b.via));
}

/** The hub file a `hubRef` names (`NAME.yaml`/`.yml`, `NAME/VERSION.yaml`/`.yml`): the one that exists, else the first. */
export function hubFile(reference: string, context: Pick<GraphContext, 'files' | 'hubDir'>): string | undefined {
  if (!context.hubDir) return undefined;
  const [name, version] = reference.split(':', 2) as [string, string | undefined];
  if (!name || name.split('/').some((part) => part === '..' || part === '.' || !part)) return undefined;
  const hub = path.posix.normalize(context.hubDir).replace(/\/$/, '');
  const candidates = (
    version ? [`${name}/${version}.yaml`, `${name}/${version}.yml`] : [`${name}.yaml`, `${name}.yml`]
  ).map((candidate) => `${hub}/${candidate}`);
  return candidates.find((candidate) => context.files.has(candidate)) ?? candidates[0];
}

/** Why a file is checked: it changed itself, or it uses (through `chain`) a file that changed or was removed. */
export interface Impact {
  file: string;
  /** The files between it and the changed one, nearest first; the last one is the changed file. Empty: it changed itself. */
  chain: string[];
  change: 'changed' | 'removed';
}

export class ReferenceGraph {
  /** file → what it uses */
  readonly uses = new Map<string, Use[]>();
  /** target → the files that use it directly */
  private readonly users = new Map<string, Set<string>>();

  constructor(documents: ReadonlyMap<string, unknown>, context: GraphContext) {
    for (const [file, document] of documents) {
      const uses = usesOf(file, document, context);
      this.uses.set(file, uses);
      for (const use of uses) {
        if (use.target === file) continue;
        const set = this.users.get(use.target) ?? new Set<string>();
        set.add(file);
        this.users.set(use.target, set);
      }
    }
  }

  /** The files that use `target`, directly. */
  usersOf(target: string): string[] {
    return [...(this.users.get(target) ?? [])].sort();
  }

  /** Whether another file uses `file` (it is a component, not a pipeline run on its own). */
  isUsed(file: string): boolean {
    return (this.users.get(file)?.size ?? 0) > 0;
  }

  /**
   * Every file to check after `changed` files changed and `removed` ones were deleted: the
   * changed files that are in the graph, and every file using a changed or removed file,
   * however indirectly. Each with the shortest chain of references that explains it; a file
   * that changed itself needs no other reason.
   */
  impact(changed: readonly string[], removed: readonly string[] = []): Map<string, Impact> {
    const result = new Map<string, Impact>();
    const queue: Impact[] = [];
    for (const file of [...changed].sort()) {
      const impact: Impact = { file, chain: [], change: 'changed' };
      if (this.uses.has(file)) result.set(file, impact);
      queue.push(impact);
    }
    for (const file of [...removed].sort()) queue.push({ file, chain: [], change: 'removed' });
    // Breadth first, so each file gets its shortest explanation.
    for (let i = 0; i < queue.length; i++) {
      const current = queue[i]!;
      for (const user of this.usersOf(current.file)) {
        if (result.has(user)) continue;
        const impact: Impact = {
          file: user,
          chain: [current.file, ...current.chain],
          change: current.change,
        };
        result.set(user, impact);
        queue.push(impact);
      }
    }
    return result;
  }
}

/** "uses `hub/trainer.yaml`, changed", "uses `a.yaml`, which uses `hub/b.yaml`, removed", or "changed". */
export function describeImpact(impact: Impact, catalog?: string): string {
  if (!impact.chain.length) return impact.change;
  const name = (file: string) => (file === catalog ? `the connections catalog \`${file}\`` : `\`${file}\``);
  const [first, ...rest] = impact.chain;
  return `uses ${name(first!)}${rest.map((file) => `, which uses ${name(file)}`).join('')}, ${impact.change}`;
}
