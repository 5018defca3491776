import type { CompiledOperation } from './compile.js';
import type { LowerContext } from './context.js';
import type { LoweredTemplate } from './job-template.js';

/** Kubeflow training jobs (tfjob, pytorchjob, mpijob) → resource templates. */
export function lowerResource(compiled: CompiledOperation, _contextParams: readonly string[], context: LowerContext): LoweredTemplate | undefined {
  const origin = compiled.op.component!;
  context.unsupported(origin, [...origin.path, 'run', 'kind'], `\`run.kind: ${compiled.run.kind}\` is not mapped yet`);
  return undefined;
}
