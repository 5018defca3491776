import type { Diagnostic } from './diagnostic.js';

/**
 * Options a message or a hint may tell the user to set. The same problem reaches users of the
 * CLI (`--hub DIR`) and of the GitHub Action (its `hub` input), so a message names the option
 * symbolically, with `optionRef`, and each surface spells it its own way when the diagnostic
 * leaves the front end (`loadPolyaxonfile` and `transpile` take the spelling; the CLI's is the
 * default).
 */
export type OptionName =
  | 'hub'
  | 'offline'
  | 'param'
  | 'connections'
  | 'kind'
  | 'namespace'
  | 'allow-private-urls'
  | 'root'
  | 'max-file-size'
  | 'project';

/** Spells an option for one surface; `value` is the example value (`DIR`, `epochs=VALUE`), if any. */
export type OptionSpelling = (name: OptionName, value: string | undefined) => string;

// Brackets no Polyaxonfile, flag or Markdown gives meaning to.
const OPEN = '\u27e6';
const CLOSE = '\u27e7';
const REF = new RegExp(`${OPEN}([a-z-]+)(?:=([^${CLOSE}]*))?${CLOSE}`, 'g');

/** A reference to an option, spelt later: `optionRef('hub', 'DIR')`, `optionRef('offline')`. */
export function optionRef(name: OptionName, value?: string): string {
  return `${OPEN}${name}${value === undefined ? '' : `=${value}`}${CLOSE}`;
}

/** The CLI's spelling: `` `--hub DIR` ``, `` `--offline` ``. */
export const CLI_SPELLING: OptionSpelling = (name, value) => `\`--${name}${value === undefined ? '' : ` ${value}`}\``;

/** Every option reference in `text`, spelt. */
export function spellOptions(text: string, spelling: OptionSpelling): string {
  return text.includes(OPEN)
    ? text.replace(REF, (_, name: string, value: string | undefined) => spelling(name as OptionName, value))
    : text;
}

/** The diagnostics with their messages and hints spelt for one surface. */
export function spellDiagnostics(diagnostics: readonly Diagnostic[], spelling: OptionSpelling): Diagnostic[] {
  return diagnostics.map((d) => {
    const message = spellOptions(d.message, spelling);
    const hint = d.hint === undefined ? undefined : spellOptions(d.hint, spelling);
    return message === d.message && hint === d.hint ? d : { ...d, message, ...(hint === undefined ? {} : { hint }) };
  });
}
