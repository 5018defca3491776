import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../parse/source.js';
import type { ResolvedDag, ResolvedOperation } from '../resolve/model.js';
import type { CheckContext, CheckOptions, Rule } from './rule.js';
import { RULES } from './rules/index.js';

/**
 * Runs every semantic rule over the resolved tree: each component once, each dag once, the
 * top operation and every dag operation once.
 */
export function checkTree(
  root: ResolvedOperation,
  options: CheckOptions,
  rules: readonly Rule[] = RULES,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const context: CheckContext = {
    options,
    root,
    diagnostics,
    report(origin, at, code, message, options) {
      diagnostics.push(diagnosticAt(origin.source, at, code, message, options));
    },
  };
  const seenComponents = new Set<unknown>();
  const visit = (operation: ResolvedOperation, dag: ResolvedDag | undefined) => {
    for (const rule of rules) rule.operation?.(operation, context, dag);
    const component = operation.component;
    if (!component || seenComponents.has(component)) return;
    seenComponents.add(component);
    for (const rule of rules) rule.component?.(component, context);
    if (component.dag) {
      for (const rule of rules) rule.dag?.(component.dag, context);
      for (const child of component.dag.operations) visit(child, component.dag);
    }
  };
  visit(root, undefined);
  return diagnostics;
}
