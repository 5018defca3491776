import { isError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatText } from '../../diagnostics/format.js';
import { loadPolyaxonfile } from '../../load.js';
import { lowerPolyaxonfile } from '../../transpile.js';
import { readCatalogOption } from '../catalog.js';
import { ExitCode, UsageError } from '../exit-codes.js';
import { readInput, repositoryRoot, type Console } from '../io.js';
import {
  diagnosticsFormat,
  oneOf,
  parseCommandLine,
  projectOption,
  READ_OPTIONS,
  readOptions,
  type DiagnosticsFormat,
} from '../options.js';
import { printDiagnostics, reporter } from '../report.js';

export const VALIDATE_USAGE = `Usage: polyaxon-argo validate FILE... [options]

Checks Polyaxonfiles (YAML or JSON; \`-\` reads stdin) and every component they reference, as
the GitHub Action does: Polyaxon's rules, then what Argo cannot express or would refuse when the
workflow runs. Prints one line per problem: FILE:LINE:COLUMN: error: MESSAGE [code].

Options:
  --polyaxon-only         Polyaxon's rules only (what \`polyaxon check\` would say)
  --kind KIND             workflow (default) or workflow-template: what it would be transpiled as
  --connections FILE      the connections catalog (see the README)
  --project [OWNER/]NAME  the Polyaxon project, for {{ globals.project_name }} and its kin
  --format text|json      how to print problems (default: text; json: one array on stdout)
  --diagnostics text|json the same as --format (every command takes it)
  -P, --param NAME=VALUE  a param of the top operation (repeatable)
  --hub DIR               folder holding hubRef components (NAME.yaml, NAME/VERSION.yaml)
  --offline               refuse to download urlRef components
  --allow-private-urls    let urlRef use http:// and private or loopback addresses
  --url-timeout SECONDS   time limit of each urlRef download (default: 10)
  --root DIR              folder references may not leave (default: the file's git repository)
  --max-file-size BYTES   largest file read, standard input included (default: 4194304)
`;

const OPTIONS = {
  ...READ_OPTIONS,
  'polyaxon-only': { type: 'boolean' },
  kind: { type: 'string' },
  connections: { type: 'string' },
  project: { type: 'string' },
} as const;

export async function validateCommand(args: string[], io: Console): Promise<ExitCode> {
  const { values, positionals } = parseCommandLine(args, OPTIONS);
  if (values.help) {
    io.stdout(VALIDATE_USAGE);
    return ExitCode.Ok;
  }
  const format = diagnosticsFormat(
    values.diagnostics,
    oneOf<DiagnosticsFormat>('format', values.format, ['text', 'json'], 'text'),
  );
  const report = reporter('validate', format);
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  if (positionals.includes('-') && values.connections === '-')
    throw new UsageError('standard input (`-`) can hold a Polyaxonfile or the connections catalog, not both');
  const kind = oneOf('kind', values.kind, ['workflow', 'workflow-template'], 'workflow');
  const polyaxonOnly = Boolean(values['polyaxon-only']);
  if (polyaxonOnly && (values.kind !== undefined || values.connections !== undefined || values.project !== undefined))
    throw new UsageError(
      "--polyaxon-only checks Polyaxon's rules alone: --kind, --connections and --project do not apply",
    );
  const project = projectOption(values.project);
  const options = readOptions(values);
  const { catalog, diagnostics: catalogProblems } = await readCatalogOption(values.connections, io, options.maxBytes);
  if (catalogProblems.some(isError)) {
    printDiagnostics(io, report, catalogProblems);
    return ExitCode.Invalid;
  }

  const all: Diagnostic[] = [];
  let invalid = 0;
  for (const argument of positionals) {
    const input = await readInput(argument, io, options.maxBytes);
    let diagnostics: Diagnostic[];
    if (!('text' in input)) diagnostics = [input];
    else {
      const common = {
        rootDir: repositoryRoot(input.absolutePath, io.cwd),
        ...options,
        cwd: io.cwd,
        ...(input.absolutePath ? { absolutePath: input.absolutePath } : {}),
      };
      diagnostics = polyaxonOnly
        ? (await loadPolyaxonfile(input.name, input.text, common)).diagnostics
        : (
            await lowerPolyaxonfile(input.name, input.text, {
              ...common,
              kind,
              ...project,
              ...(catalog ? { connections: catalog } : {}),
            })
          ).diagnostics;
    }
    if (diagnostics.some(isError)) invalid++;
    all.push(...diagnostics);
  }

  if (format === 'json') {
    printDiagnostics(io, report, all);
  } else {
    if (all.length) io.stderr(`${formatText(all)}\n`);
    const errors = all.filter(isError).length;
    const warnings = all.length - errors;
    const counts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')]
      .filter(Boolean)
      .join(', ');
    io.stderr(
      invalid === 0
        ? `${plural(positionals.length, 'file')} valid${counts ? ` (${counts})` : ''}\n`
        : `${invalid} of ${plural(positionals.length, 'file')} invalid: ${counts}\n`,
    );
  }
  return invalid === 0 ? ExitCode.Ok : ExitCode.Invalid;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
