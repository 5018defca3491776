import type { DiagnosticCode } from '../diagnostics/codes.js';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { parseSource } from '../parse/parse-source.js';
import { diagnosticAt, type Path, type SourceFile } from '../parse/source.js';
import type { IO } from '../schema/io.js';
import { REFERENCE_FIELDS, type Component, type Dag, type Operation } from '../schema/polyaxonfile.js';
import { readPolyaxonfile, type Polyaxonfile } from '../schema/read-polyaxonfile.js';
import { LoadError, type Loader } from './loader.js';
import type { LocatedParam, ReferenceKind, ResolvedComponent, ResolvedDag, ResolvedOperation } from './model.js';

export interface ResolveResult {
  root: ResolvedOperation;
  diagnostics: Diagnostic[];
}

/**
 * Follows every reference of a Polyaxonfile (spec §1.5 step 2): inline components, `dagRef`
 * to the enclosing dag's components, `pathRef` relative to the referencing file, `hubRef` and
 * `urlRef` through the loader; nested dags recursively, all up front. Each referenced file is
 * loaded once even when many operations use it; a file that references itself is reported.
 */
export interface ResolveOptions {
  /**
   * Also resolve the `hubRef` of every hook. Polyaxon resolves hooks only when they fire, so
   * validating does not need them; transpiling does, to emit their templates.
   */
  hooks?: boolean;
}

export async function resolvePolyaxonfile(
  source: SourceFile,
  file: Polyaxonfile,
  loader: Loader,
  options: ResolveOptions = {},
): Promise<ResolveResult> {
  const diagnostics: Diagnostic[] = [];
  const loaded = new Map<string, Promise<ResolvedComponent | undefined>>();
  const report = (
    src: SourceFile,
    at: Path,
    code: DiagnosticCode,
    message: string,
    hint?: string,
    anchor: 'key' | 'value' = 'key',
  ) => diagnostics.push(diagnosticAt(src, at, code, message, { hint, anchor }));

  async function resolveOperation(
    operation: Operation,
    src: SourceFile,
    at: Path,
    name: string,
    dag: ResolvedDag | undefined,
    chain: readonly string[],
  ): Promise<ResolvedOperation> {
    const present = REFERENCE_FIELDS.filter((field) => operation[field] !== undefined);
    const external = present.filter((field) => field !== 'component');
    const resolved: ResolvedOperation = {
      operation,
      source: src,
      path: at,
      name,
      reference: present[0] ?? 'component',
      params: locateParams(operation, src, at),
    };
    if (operation.isPreset) return resolved;
    // One reference; an inline component may sit next to one other reference and wins (spec §1.4).
    if (present.length === 0 || external.length > 1) {
      const where = external.length > 1 ? [...at, external[1]!] : at;
      report(
        src,
        where,
        'reference-count',
        `${describeOperation(name)} must have exactly one reference among hubRef, dagRef, urlRef, pathRef and component; found ${present.length === 0 ? 'none' : present.join(' and ')}`,
        present.length === 0
          ? 'add `component:` (inline), `dagRef:` (a component of this dag), `pathRef:`, `hubRef:` or `urlRef:`'
          : `keep one of ${external.join(', ')}`,
      );
      return resolved;
    }
    const reference: ReferenceKind = operation.component ? 'component' : external[0]!;
    resolved.reference = reference;
    const hooks = await resolveHooks(operation.hooks, src, at, chain);
    if (hooks) resolved.hooks = hooks;
    if (operation.component) {
      resolved.component = await resolveComponent(operation.component, src, [...at, 'component'], chain);
      return resolved;
    }
    const target = operation[reference as Exclude<ReferenceKind, 'component'>]!;
    const refPath = [...at, reference];
    if (reference === 'dagRef') {
      if (!dag) {
        report(
          src,
          refPath,
          'dag-ref-outside-dag',
          `\`dagRef: ${target}\` can only be used by an operation inside a dag`,
          'use `pathRef`, `hubRef`, `urlRef` or an inline `component:`',
        );
        return resolved;
      }
      const component = dag.components.get(target);
      if (!component) {
        const guess = suggest(target, dag.components.keys());
        report(
          src,
          refPath,
          'unknown-dag-ref',
          `${describeOperation(name)} requires a component named \`${target}\`, which is not defined in this dag's \`components\``,
          guess
            ? `did you mean \`${guess}\`?`
            : dag.components.size
              ? `defined components: ${[...dag.components.keys()].join(', ')}`
              : 'add the component under `run.components`',
          'value',
        );
      } else {
        resolved.component = component;
      }
      return resolved;
    }
    resolved.component = await resolveExternal(
      reference as 'pathRef' | 'hubRef' | 'urlRef',
      target,
      src,
      refPath,
      chain,
    );
    return resolved;
  }

  async function resolveExternal(
    reference: 'pathRef' | 'hubRef' | 'urlRef',
    target: string,
    src: SourceFile,
    at: Path,
    chain: readonly string[],
  ): Promise<ResolvedComponent | undefined> {
    const key =
      reference === 'pathRef'
        ? path.resolve(src.absolutePath ? path.dirname(src.absolutePath) : process.cwd(), target)
        : `${reference}:${target}`;
    if (chain.includes(key)) {
      report(
        src,
        at,
        'reference-cycle',
        `\`${reference}: ${target}\` refers back to a file that is already being resolved (${[...chain.slice(chain.indexOf(key)), key].map((k) => path.basename(k)).join(' -> ')})`,
        'break the cycle: a component cannot contain itself',
        'value',
      );
      return undefined;
    }
    let pending = loaded.get(key);
    if (!pending) {
      pending = (async () => {
        let text;
        try {
          text =
            reference === 'pathRef'
              ? await loader.readPath(key)
              : reference === 'hubRef'
                ? await loader.readHub(target)
                : await loader.readUrl(target);
        } catch (error) {
          if (!(error instanceof LoadError)) throw error;
          report(src, at, 'unresolved-reference', error.message, error.hint, 'value');
          return undefined;
        }
        const parsed = parseSource(text.name, text.text, text.absolutePath ? { absolutePath: text.absolutePath } : {});
        diagnostics.push(...parsed.diagnostics);
        const read = parsed.source ? readPolyaxonfile(parsed.source) : undefined;
        if (read) diagnostics.push(...read.diagnostics);
        if (!parsed.source || !read?.file) {
          report(
            src,
            at,
            'invalid-reference',
            `the component referenced by \`${reference}: ${target}\` is not valid (see the errors reported in \`${text.name}\`)`,
            undefined,
            'value',
          );
          return undefined;
        }
        if (read.file.kind !== 'component') {
          report(
            src,
            at,
            'reference-not-component',
            `\`${reference}: ${target}\` must point to a \`kind: component\` file, but \`${text.name}\` is a \`kind: ${read.file.kind}\``,
            undefined,
            'value',
          );
          return undefined;
        }
        return resolveComponent(read.file.spec, parsed.source, [], [...chain, key]);
      })();
      loaded.set(key, pending);
    }
    return pending;
  }

  async function resolveHooks(
    hooks: Component['hooks'],
    src: SourceFile,
    at: Path,
    chain: readonly string[],
  ): Promise<(ResolvedComponent | undefined)[] | undefined> {
    if (!options.hooks || !Array.isArray(hooks)) return undefined;
    return Promise.all(
      hooks.map((hook, i) => resolveExternal('hubRef', hook.hubRef, src, [...at, 'hooks', i, 'hubRef'], chain)),
    );
  }

  async function resolveComponent(
    component: Component,
    src: SourceFile,
    at: Path,
    chain: readonly string[],
  ): Promise<ResolvedComponent> {
    const resolved: ResolvedComponent = { component, source: src, path: at };
    const hooks = await resolveHooks(component.hooks, src, at, chain);
    if (hooks) resolved.hooks = hooks;
    if (component.run.kind === 'dag')
      resolved.dag = await resolveDag(component.run, component.inputs ?? [], src, [...at, 'run'], chain);
    return resolved;
  }

  async function resolveDag(
    dag: Dag,
    inputs: IO[],
    src: SourceFile,
    at: Path,
    chain: readonly string[],
  ): Promise<ResolvedDag> {
    const resolved: ResolvedDag = { dag, inputs, source: src, path: at, operations: [], components: new Map() };
    for (const field of ['operations', 'components'] as const) {
      if (typeof dag[field] === 'string') {
        report(
          src,
          [...at, field],
          'templated-dag',
          `dag \`${field}\` given as a template cannot be resolved before the run`,
          `list the ${field} in the file`,
          'value',
        );
      }
    }
    const components = Array.isArray(dag.components) ? dag.components : [];
    const resolvedComponents = await Promise.all(
      components.map((c, i) => resolveComponent(c, src, [...at, 'components', i], chain)),
    );
    resolvedComponents.forEach((c) => {
      const name = typeof c.component.name === 'string' ? c.component.name : undefined;
      if (name !== undefined && !resolved.components.has(name)) resolved.components.set(name, c);
    });
    const operations = Array.isArray(dag.operations) ? dag.operations : [];
    resolved.operations = await Promise.all(
      operations.map((op, i) =>
        resolveOperation(
          op,
          src,
          [...at, 'operations', i],
          typeof op.name === 'string' ? op.name : '',
          resolved,
          chain,
        ),
      ),
    );
    return resolved;
  }

  const chain = source.absolutePath ? [source.absolutePath] : [];
  const rootName = topLevelName(source, file);
  const root =
    file.kind === 'component'
      ? {
          operation: { component: file.spec },
          source,
          path: [],
          name: rootName,
          reference: 'component' as const,
          params: new Map(),
          component: await resolveComponent(file.spec, source, [], chain),
        }
      : await resolveOperation(file.spec, source, [], rootName, undefined, chain);
  return { root, diagnostics };
}

function locateParams(operation: Operation, source: SourceFile, at: Path): Map<string, LocatedParam> {
  return new Map(
    Object.entries(operation.params ?? {}).map(([name, param]) => [
      name,
      { name, param, source, path: [...at, 'params', name] },
    ]),
  );
}

const describeOperation = (name: string) => (name ? `operation \`${name}\`` : 'this operation');

/** The top run's name: its own, its component's, else the file's stem. */
function topLevelName(source: SourceFile, file: Polyaxonfile): string {
  const own = typeof file.spec.name === 'string' ? file.spec.name : undefined;
  const inline =
    file.kind === 'operation' && typeof file.spec.component?.name === 'string' ? file.spec.component.name : undefined;
  return own ?? inline ?? path.basename(source.name).replace(/\.(ya?ml|json)$/i, '');
}
