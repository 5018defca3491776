import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { Path } from '../../parse/source.js';
import type { IO } from '../../schema/io.js';
import type { Rule } from '../rule.js';
import { checkConstraints, patternProblem } from '../values/constraints.js';
import { coerce } from '../values/coerce.js';

const RESERVED = new Set(['globals', 'params', 'connections']);
const INIT_TYPES = new Set(['git', 'artifacts', 'dockerfile', 'path']);

/** Rules on a component's `inputs` and `outputs` declarations (spec §4.1–4.2, §5.9). */
export const ioDefinitions: Rule = {
  name: 'io-definitions',
  component(resolved, context) {
    const seen = new Map<string, string>();
    for (const section of ['inputs', 'outputs'] as const) {
      (resolved.component[section] ?? []).forEach((io: IO, index) => {
        const at: Path = [...resolved.path, section, index];
        const report = (field: string | undefined, code: DiagnosticCode, message: string, hint?: string) =>
          context.report(resolved, field ? [...at, field] : at, code, message, {
            ...(hint ? { hint } : {}),
            ...(field ? { anchor: 'value' as const } : {}),
          });
        if (RESERVED.has(io.name))
          report(
            'name',
            'reserved-io-name',
            `\`${io.name}\` is reserved and cannot name an ${section.slice(0, -1)}`,
            'choose another name',
          );
        if (!/^[-a-zA-Z0-9_]+$/.test(io.name))
          report(
            'name',
            'invalid-io-name',
            `\`${io.name}\` is not a valid ${section.slice(0, -1)} name: use letters, digits, \`-\` and \`_\``,
            'a dotted or spaced name cannot be referenced as `{{ name }}` or `outputs.name`',
          );
        const other = seen.get(io.name);
        if (other)
          report(
            'name',
            'duplicate-io',
            `\`${io.name}\` is declared twice (also in ${other})`,
            'inputs and outputs share one namespace of params',
          );
        else seen.set(io.name, section);
        if (io.isFlag && io.type !== 'bool')
          report(
            'isFlag',
            'invalid-flag',
            `${section.slice(0, -1)} \`${io.name}\` has type \`${io.type ?? 'any'}\` and cannot be a flag; a flag must be of type \`bool\``,
            'set `type: bool`, or drop `isFlag`',
          );
        if ((io.isOptional === false || io.isOptional === null) && 'value' in io)
          report(
            'value',
            'required-with-default',
            `${section.slice(0, -1)} \`${io.name}\` is not optional and has the default value ${JSON.stringify(io.value)}`,
            'remove `isOptional: false` or the default `value`',
          );
        if (io.toInit && !io.type)
          report(
            'toInit',
            'init-needs-type',
            `${section.slice(0, -1)} \`${io.name}\` uses \`toInit\` but has no \`type\``,
            'give it a type such as `git`, `artifacts`, `dockerfile` or `path`',
          );
        else if (io.toInit && !io.connection && !INIT_TYPES.has(io.type!))
          report(
            'toInit',
            'init-not-possible',
            `${section.slice(0, -1)} \`${io.name}\` of type \`${io.type}\` cannot be turned into an init container automatically`,
            'add a `connection`, or use type git, artifacts, dockerfile or path',
          );
        const pattern = io.validation?.regex === undefined ? undefined : patternProblem(io.validation.regex);
        if (pattern)
          context.report(resolved, [...at, 'validation', 'regex'], 'unsafe-pattern', pattern.message, {
            hint: pattern.hint,
            anchor: 'value',
          });
        // A default value is checked against the type when the file is read (spec §4.1), a
        // template too: unlike a param's, it is not rendered first (`{{ lr }}` is no float).
        if ('value' in io && io.value !== null && io.value !== undefined) {
          const result = coerce(io.type, io.value, io.isList);
          if (!result.ok)
            report(
              'value',
              'invalid-default',
              `the default value of ${section.slice(0, -1)} \`${io.name}\` does not fit type \`${io.type}\`: ${result.reason}`,
            );
          else {
            // The legacy `options` list is folded into `validation.options`, as Polyaxon does.
            const validation = io.options ? { ...io.validation, options: io.options } : io.validation;
            const broken = checkConstraints(result.value, validation);
            if (broken)
              report(
                'value',
                'invalid-default',
                `the default value of ${section.slice(0, -1)} \`${io.name}\` ${broken}`,
              );
          }
        }
      });
    }
  },
};
