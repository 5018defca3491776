import { isError } from '../../diagnostics/diagnostic.js';
import { formatText } from '../../diagnostics/format.js';
import { renderGraph } from '../../emit/graph.js';
import { loadPolyaxonfile } from '../../load.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { readInput, repositoryRoot, type Console } from '../io.js';
import { oneOf, parseCommandLine, READ_OPTIONS, readOptions } from '../options.js';

export const GRAPH_USAGE = `Usage: polyaxon-argo graph FILE [options]

Prints the pipeline's dag as a diagram: one node per operation (name, component, trigger,
matrix), nested dags as subgraphs, event edges dashed.

Options:
  --format mermaid|dot      diagram language (default: mermaid)
  -P, --param NAME=VALUE    a param of the top operation (repeatable)
  --hub DIR                 folder holding hubRef components
  --offline                 refuse to download urlRef components
`;

export async function graphCommand(args: string[], io: Console): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, READ_OPTIONS);
  if (values.help) {
    io.stdout(GRAPH_USAGE);
    return ExitCode.Ok;
  }
  if (positionals.length !== 1) throw new UsageError('graph needs exactly one FILE');
  const format = oneOf('format', values.format, ['mermaid', 'dot'], 'mermaid');
  const options = readOptions(values);
  const input = await readInput(positionals[0]!, io, options.maxBytes);
  if (!('text' in input)) {
    io.stderr(`${formatText([input])}\n`);
    return ExitCode.Invalid;
  }
  // A diagram of a pipeline that cannot run would mislead: the same checks as validate, but
  // top-level inputs may stay open (a diagram does not need their values).
  const result = await loadPolyaxonfile(input.name, input.text, {
    rootDir: repositoryRoot(input.absolutePath, io.cwd),
    ...options,
    cwd: io.cwd,
    requireTopLevelInputs: false,
    ...(input.absolutePath ? { absolutePath: input.absolutePath } : {}),
  });
  if (result.diagnostics.length) io.stderr(`${formatText(result.diagnostics)}\n`);
  if (!result.root || result.diagnostics.some(isError)) return ExitCode.Invalid;
  io.stdout(renderGraph(result.root, format));
  return ExitCode.Ok;
}
