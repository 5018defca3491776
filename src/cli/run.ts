import { ExitCode, UsageError } from './exit-codes.js';
import type { Console } from './io.js';
import { asksForJson } from './options.js';
import { commandLineDiagnostic, printDiagnostics, reporter } from './report.js';
import { graphCommand } from './commands/graph.js';
import { transpileCommand } from './commands/transpile.js';
import { validateCommand } from './commands/validate.js';
import { VERSION } from './version.js';

export const USAGE = `Usage: polyaxon-argo <command> [options]

Commands:
  validate FILE...   check Polyaxonfiles and report every problem with its line and column
  transpile FILE     translate a Polyaxonfile into an Argo Workflow, WorkflowTemplate or CronWorkflow
  graph FILE         print the pipeline's dag as a Mermaid or Graphviz diagram

Run \`polyaxon-argo <command> --help\` for a command's options.
Exit codes: 0 valid, 1 invalid input, 2 usage error, 3 internal error.
With --format json (or --diagnostics json), every problem is printed as JSON, usage errors too.
`;

const COMMANDS: Record<string, (args: string[], io: Console) => Promise<ExitCode>> = {
  validate: validateCommand,
  transpile: transpileCommand,
  graph: graphCommand,
};

/**
 * The CLI as a function: arguments and a console in, exit code out. Bad input is reported as
 * diagnostics, a bad command line as a usage error, and anything else as an internal error
 * (one line, never a stack trace).
 */
export async function runCli(args: string[], io: Console): Promise<ExitCode> {
  const [command, ...rest] = args;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (command === '--version' || command === '-V') {
      io.stdout(`${VERSION}\n`);
      return ExitCode.Ok;
    }
    const handler = COMMANDS[command];
    if (!handler) throw new UsageError(`unknown command \`${command}\`; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return await handler(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const help = `polyaxon-argo ${command && COMMANDS[command] ? `${command} ` : ''}--help`;
      if (asksForJson(command, rest)) {
        const usage = commandLineDiagnostic('invalid-command-line', error.message, {
          hint: `run \`${help}\` for usage`,
        });
        printDiagnostics(io, reporter(command, 'json'), [usage]);
      } else io.stderr(`polyaxon-argo: ${error.message}\nRun \`${help}\` for usage.\n`);
      return ExitCode.Usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `polyaxon-argo: internal error: ${message.split('\n')[0]}. This is a bug; please report it with the command and file that caused it.\n`,
    );
    if (process.env.POLYAXON_ARGO_DEBUG) io.stderr(`${(error as Error).stack}\n`);
    return ExitCode.Internal;
  }
}
