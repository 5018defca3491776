import type { OptionSpelling } from '../diagnostics/option-names.js';

/**
 * How the Action's messages name options: by its inputs (`hub: DIR`), since its users set
 * inputs in a workflow file, not flags. Options the Action has no input for are named as the
 * CLI's, saying so.
 */
export const ACTION_SPELLING: OptionSpelling = (name, value) => {
  switch (name) {
    case 'hub':
      return `the input \`hub: ${value ?? 'DIR'}\``;
    case 'offline':
      return 'the input `offline: true`';
    case 'param':
      return `a line \`${value ?? 'NAME=VALUE'}\` in the input \`params\``;
    case 'connections':
      return `the input \`connections: ${value ?? 'FILE'}\``;
    case 'kind':
      return `the input \`kind: ${value ?? 'workflow-template'}\``;
    case 'namespace':
      return 'the input `namespace`';
    case 'project':
      return `the input \`project: ${value ?? 'OWNER/NAME'}\``;
    case 'allow-private-urls':
    case 'root':
    case 'max-file-size':
      return `\`--${name}${value === undefined ? '' : ` ${value}`}\` (a CLI option the Action does not have)`;
  }
};
