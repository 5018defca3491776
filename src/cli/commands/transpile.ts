import { isError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { transpile } from '../../transpile.js';
import { readCatalogOption } from '../catalog.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { readInput, repositoryRoot, type Console } from '../io.js';
import { generateNameProblem, nameProblem, namespaceProblem, type NamedKind } from '../kubernetes-names.js';
import { diagnosticsFormat, oneOf, parseCommandLine, projectOption, READ_OPTIONS, readOptions } from '../options.js';
import { prepareOutput, writeOutput } from '../output-file.js';
import { commandLineDiagnostic, printDiagnostics, reporter } from '../report.js';

export const TRANSPILE_USAGE = `Usage: polyaxon-argo transpile FILE [options]

Translates a Polyaxonfile into an Argo manifest. Writes it only when the whole file is valid.

Options:
  -o, --output OUT          write the manifest to OUT instead of stdout, whole or not at all
                            (missing folders are created; \`-\` is stdout)
  --kind KIND               workflow (default) or workflow-template
  --namespace NS            metadata.namespace
  --name NAME               metadata.name (default: generateName from the pipeline name)
  --generate-name PREFIX    metadata.generateName prefix
  --format yaml|json        output format (default: yaml); json also prints problems as JSON
  --diagnostics text|json   how to print problems (default: text; json: one array on stderr)
  --connections FILE        the connections catalog (see the README)
  --project [OWNER/]NAME    the Polyaxon project, for {{ globals.project_name }} and its kin
  -P, --param NAME=VALUE    a param of the top operation (repeatable)
  --hub DIR                 folder holding hubRef components
  --offline                 refuse to download urlRef components
  --allow-private-urls      let urlRef use http:// and private or loopback addresses
  --url-timeout SECONDS     time limit of each urlRef download (default: 10)
  --root DIR                folder references may not leave (default: the file's git repository)
  --max-file-size BYTES     largest file read, standard input included (default: 4194304)
`;

const OPTIONS = {
  ...READ_OPTIONS,
  output: { type: 'string', short: 'o' },
  kind: { type: 'string' },
  namespace: { type: 'string' },
  name: { type: 'string' },
  'generate-name': { type: 'string' },
  connections: { type: 'string' },
  project: { type: 'string' },
} as const;

export async function transpileCommand(args: string[], io: Console): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (values.help) {
    io.stdout(TRANSPILE_USAGE);
    return ExitCode.Ok;
  }
  const format = oneOf('format', values.format, ['yaml', 'json'], 'yaml');
  const report = reporter('transpile', diagnosticsFormat(values.diagnostics, format === 'json' ? 'json' : 'text'));
  if (positionals.length !== 1) throw new UsageError('transpile needs exactly one FILE');
  if (positionals[0] === '-' && values.connections === '-')
    throw new UsageError('standard input (`-`) can hold the Polyaxonfile or the connections catalog, not both');
  if (values.name !== undefined && values['generate-name'] !== undefined)
    throw new UsageError('--name and --generate-name cannot be used together');
  const kind = oneOf('kind', values.kind, ['workflow', 'workflow-template'], 'workflow');
  if (kind === 'workflow-template' && values['generate-name'] !== undefined)
    throw new UsageError('a WorkflowTemplate needs a fixed name: use --name, not --generate-name');
  const options = readOptions(values);
  // Decided before any work: a wrong -o costs nothing.
  const output =
    values.output === undefined || values.output === '-' ? undefined : await prepareOutput(values.output, io.cwd);

  const naming = { name: values.name, generateName: values['generate-name'], namespace: values.namespace };
  const problems = nameDiagnostics(naming, kind === 'workflow-template' ? 'WorkflowTemplate' : 'Workflow');
  const { catalog: connections, diagnostics: catalogProblems } = await readCatalogOption(
    values.connections,
    io,
    options.maxBytes,
  );
  if (catalogProblems.some(isError)) {
    printDiagnostics(io, report, [...problems, ...catalogProblems]);
    return ExitCode.Invalid;
  }

  const input = await readInput(positionals[0]!, io, options.maxBytes);
  if (!('text' in input)) {
    printDiagnostics(io, report, [...problems, input]);
    return ExitCode.Invalid;
  }
  const result = await transpile(input.name, input.text, {
    rootDir: repositoryRoot(input.absolutePath, io.cwd),
    ...options,
    cwd: io.cwd,
    ...(input.absolutePath ? { absolutePath: input.absolutePath } : {}),
    kind,
    format,
    ...(naming.namespace !== undefined ? { namespace: naming.namespace } : {}),
    ...(naming.name !== undefined ? { name: naming.name } : {}),
    ...(naming.generateName !== undefined ? { generateName: naming.generateName } : {}),
    ...(connections ? { connections } : {}),
    ...projectOption(values.project),
  });
  // A schedule makes a CronWorkflow, whose names are shorter: known only now.
  if (result.manifest?.kind === 'CronWorkflow') problems.push(...nameDiagnostics(naming, 'CronWorkflow'));
  const diagnostics = [...problems, ...result.diagnostics];
  printDiagnostics(io, report, diagnostics);
  if (result.output === undefined || diagnostics.some(isError)) return ExitCode.Invalid;
  if (output) await writeOutput(output, result.output);
  else io.stdout(result.output);
  return ExitCode.Ok;
}

/**
 * `--name`, `--generate-name` and `--namespace` values Kubernetes or Argo would refuse, as
 * problems at `<command line>` (as `--param` values are): the option is used right, its value
 * is not.
 */
function nameDiagnostics(
  naming: { name?: string | undefined; generateName?: string | undefined; namespace?: string | undefined },
  kind: NamedKind,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const check = (flag: string, value: string | undefined, problem: (value: string) => string | undefined) => {
    const wrong = value === undefined ? undefined : problem(value);
    if (wrong)
      found.push(
        commandLineDiagnostic('invalid-name', `--${flag} \`${value}\` ${wrong}`, {
          field: `--${flag}`,
          hint: 'Kubernetes names are lower-case letters, digits and `-` (and `.` except in a namespace), starting and ending with a letter or digit',
        }),
      );
  };
  check('name', naming.name, (value) => nameProblem(value, kind));
  check('generate-name', naming.generateName, (value) => generateNameProblem(value, kind));
  if (kind !== 'CronWorkflow') check('namespace', naming.namespace, namespaceProblem);
  return found;
}
