import { isError } from '../../diagnostics/diagnostic.js';
import { renderGraph } from '../../emit/graph.js';
import { loadPolyaxonfile } from '../../load.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { readInput, repositoryRoot, type Console } from '../io.js';
import { diagnosticsFormat, oneOf, parseCommandLine, READ_OPTIONS, readOptions } from '../options.js';
import { printDiagnostics, reporter } from '../report.js';

export const GRAPH_USAGE = `Usage: polyaxon-argo graph FILE [options]

Prints the pipeline's dag as a diagram: one node per operation (name, component, trigger,
matrix), nested dags as subgraphs, event edges dashed.

Options:
  --format mermaid|dot      diagram language (default: mermaid)
  --diagnostics text|json   how to print problems (default: text; json: one array on stderr)
  -P, --param NAME=VALUE    a param of the top operation (repeatable)
  --hub DIR                 folder holding hubRef components
  --offline                 refuse to download urlRef components
  --allow-private-urls      let urlRef use http:// and private or loopback addresses
  --url-timeout SECONDS     time limit of each urlRef download (default: 10)
  --root DIR                folder references may not leave (default: the file's git repository)
  --max-file-size BYTES     largest file read (default: 4194304)
`;

export async function graphCommand(args: string[], io: Console): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, READ_OPTIONS);
  if (values.help) {
    io.stdout(GRAPH_USAGE);
    return ExitCode.Ok;
  }
  const report = reporter('graph', diagnosticsFormat(values.diagnostics));
  if (positionals.length !== 1) throw new UsageError('graph needs exactly one FILE');
  const format = oneOf('format', values.format, ['mermaid', 'dot'], 'mermaid');
  const options = readOptions(values);
  const input = await readInput(positionals[0]!, io, options.maxBytes);
  if (!('text' in input)) {
    printDiagnostics(io, report, [input]);
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
  printDiagnostics(io, report, result.diagnostics);
  if (!result.root || result.diagnostics.some(isError)) return ExitCode.Invalid;
  io.stdout(renderGraph(result.root, format));
  return ExitCode.Ok;
}
