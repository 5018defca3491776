import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isError } from '../../diagnostics/diagnostic.js';
import { formatText } from '../../diagnostics/format.js';
import { readConnectionCatalog, type ConnectionCatalog } from '../../resolve/connection-catalog.js';
import { transpile } from '../../transpile.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { readInput, repositoryRoot, type Console } from '../io.js';
import { oneOf, parseCommandLine, READ_OPTIONS, readOptions } from '../options.js';

export const TRANSPILE_USAGE = `Usage: polyaxon-argo transpile FILE [options]

Translates a Polyaxonfile into an Argo manifest. Writes it only when the whole file is valid.

Options:
  -o, --output OUT          write the manifest to OUT instead of stdout
  --kind KIND               workflow (default) or workflow-template
  --namespace NS            metadata.namespace
  --name NAME               metadata.name (default: generateName from the pipeline name)
  --generate-name PREFIX    metadata.generateName prefix
  --format yaml|json        output format (default: yaml)
  --connections FILE        the connections catalog (see the README)
  -P, --param NAME=VALUE    a param of the top operation (repeatable)
  --hub DIR                 folder holding hubRef components
  --offline                 refuse to download urlRef components
  --allow-private-urls      let urlRef use http:// and private or loopback addresses
  --root DIR                folder references may not leave (default: the file's git repository)
  --max-file-size BYTES     largest file read (default: 4194304)
`;

const OPTIONS = {
  ...READ_OPTIONS,
  output: { type: 'string', short: 'o' },
  kind: { type: 'string' },
  namespace: { type: 'string' },
  name: { type: 'string' },
  'generate-name': { type: 'string' },
  connections: { type: 'string' },
} as const;

export async function transpileCommand(args: string[], io: Console): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (values.help) {
    io.stdout(TRANSPILE_USAGE);
    return ExitCode.Ok;
  }
  if (positionals.length !== 1) throw new UsageError('transpile needs exactly one FILE');
  if (values.name && values['generate-name'])
    throw new UsageError('--name and --generate-name cannot be used together');
  const kind = oneOf('kind', values.kind, ['workflow', 'workflow-template'], 'workflow');
  const format = oneOf('format', values.format, ['yaml', 'json'], 'yaml');
  if (kind === 'workflow-template' && values['generate-name'])
    throw new UsageError('a WorkflowTemplate needs a fixed name: use --name, not --generate-name');
  const options = readOptions(values);

  let connections: ConnectionCatalog | undefined;
  if (values.connections) {
    const file = path.resolve(io.cwd, values.connections);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`cannot read the connections catalog \`${values.connections}\``);
    }
    const catalog = readConnectionCatalog(values.connections, text);
    if (!catalog.catalog || catalog.diagnostics.some(isError)) {
      io.stderr(`${formatText(catalog.diagnostics)}\n`);
      return ExitCode.Invalid;
    }
    connections = catalog.catalog;
  }

  const input = await readInput(positionals[0]!, io, options.maxBytes);
  if (!('text' in input)) {
    io.stderr(`${formatText([input])}\n`);
    return ExitCode.Invalid;
  }
  const result = await transpile(input.name, input.text, {
    rootDir: repositoryRoot(input.absolutePath, io.cwd),
    ...options,
    cwd: io.cwd,
    ...(input.absolutePath ? { absolutePath: input.absolutePath } : {}),
    kind,
    format,
    ...(values.namespace ? { namespace: values.namespace } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values['generate-name'] ? { generateName: values['generate-name'] } : {}),
    ...(connections ? { connections } : {}),
  });
  if (result.diagnostics.length) io.stderr(`${formatText(result.diagnostics)}\n`);
  if (result.output === undefined) return ExitCode.Invalid;
  if (values.output) {
    // Write beside the target and rename, so a failure never leaves a partial manifest.
    const target = path.resolve(io.cwd, values.output);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, result.output);
    await rename(temporary, target);
  } else {
    io.stdout(result.output);
  }
  return ExitCode.Ok;
}
