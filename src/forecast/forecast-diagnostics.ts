import type { Diagnostic, DiagnosticCode } from '../diagnostics/diagnostic.js';
import { diagnosticAt } from '../parse/source.js';
import type { ResolvedOperation } from '../resolve/model.js';
import type { Forecast, ForecastKind } from './run-forecast.js';

const CODES: Record<ForecastKind, DiagnosticCode> = {
  'status-size': 'run-status-size',
  'pod-annotations': 'pod-annotations-size',
  'name-length': 'run-name-too-long',
};

/** Forecasts as warnings at the Polyaxonfile line of the operation each concerns. */
export function forecastDiagnostics(forecasts: readonly Forecast[], root: ResolvedOperation): Diagnostic[] {
  return forecasts.map((forecast) =>
    diagnosticAtOperation(root, forecast.operation, CODES[forecast.kind], forecast.message, forecast.hint),
  );
}

/**
 * A diagnostic at the operation whose path of names (from the top dag down) is `operation`,
 * followed down the resolved dags; what concerns the whole pipeline, or an operation that cannot
 * be found, is told at the top dag's `operations`, or the file's start.
 */
export function diagnosticAtOperation(
  root: ResolvedOperation,
  operation: readonly string[],
  code: DiagnosticCode,
  message: string,
  hint?: string,
): Diagnostic {
  const options = hint ? { hint } : {};
  const place = operationAt(root, operation);
  if (place) return diagnosticAt(place.source, place.path, code, message, options);
  const dag = root.component?.dag;
  return dag
    ? diagnosticAt(dag.source, [...dag.path, 'operations'], code, message, options)
    : diagnosticAt(root.source, root.path, code, message, options);
}

function operationAt(root: ResolvedOperation, names: readonly string[]): ResolvedOperation | undefined {
  let operation: ResolvedOperation | undefined;
  let dag = root.component?.dag;
  for (const name of names) {
    operation = dag?.operations.find((op) => op.name === name);
    if (!operation) return undefined;
    dag = operation.component?.dag;
  }
  return operation;
}
