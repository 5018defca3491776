// Generates a layered Polyaxon dag for benchmarks and scale tests:
// each operation takes a param from an operation of the previous layer and depends on two more,
// five shared components, dag environment and concurrency set.
// Usage: node scripts/bench/generate-dag.mjs OPERATIONS > file.yaml
import { fileURLToPath } from 'node:url';

const LAYER_WIDTH = 50;
const COMPONENTS = 5;

export function generateDag(operations) {
  const lines = [
    'version: 1.1',
    'kind: component',
    `name: layered-${operations}`,
    'inputs:',
    '- {name: dataset, type: str, value: s3://bucket/data}',
    'run:',
    '  kind: dag',
    '  concurrency: 20',
    '  environment:',
    '    nodeSelector: {pool: training}',
    '    labels: {team: ml}',
    '    serviceAccountName: pipelines',
    '  components:',
  ];
  for (let c = 0; c < COMPONENTS; c++) {
    lines.push(
      `  - name: step-${c}`,
      '    inputs:',
      '    - {name: src, type: str}',
      '    - {name: lr, type: float, value: 0.01}',
      '    outputs:',
      '    - {name: out, type: str}',
      '    run:',
      '      kind: job',
      '      container:',
      '        image: python:3.12',
      `        command: [python, step_${c}.py]`,
      '        args: ["--src={{ src }}", "--lr={{ lr }}", "--out={{ globals.run_outputs_path }}/out"]',
    );
  }
  lines.push('  operations:');
  for (let i = 0; i < operations; i++) {
    const layer = Math.floor(i / LAYER_WIDTH);
    lines.push(`  - name: op-${i}`, `    dagRef: step-${i % COMPONENTS}`);
    if (layer === 0) {
      lines.push('    params:', '      src: {ref: dag, value: inputs.dataset}');
    } else {
      const previous = (layer - 1) * LAYER_WIDTH;
      const pick = (k) => previous + ((i + k) % LAYER_WIDTH);
      lines.push(
        '    params:',
        `      src: {ref: ops.op-${pick(0)}, value: outputs.out}`,
        `      lr: ${(0.001 * ((i % 9) + 1)).toFixed(3)}`,
      );
      lines.push(`    dependencies: [op-${pick(7)}, op-${pick(13)}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(generateDag(Number(process.argv[2] ?? 100)));
}
