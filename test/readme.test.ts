import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODE_GROUPS, CODES, type CodeGroup } from '../src/diagnostics/codes.js';
import { markdownTable } from './polyaxon/deliberate-differences.js';
import { REPO_ROOT } from './support/paths.js';

/**
 * The README's tables that other files own are generated from them: the diagnostic codes from
 * the registry (src/diagnostics/codes.ts), the deliberate differences from the differential
 * test's table. Each sits between `<!-- generated: NAME -->` and `<!-- end: NAME -->`; after a
 * change, `npm run docs` (UPDATE_GOLDEN=1) rewrites them.
 */

const README = path.join(REPO_ROOT, 'README.md');
const update = process.env.UPDATE_GOLDEN === '1';

function codesTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const groups = Object.keys(CODE_GROUPS) as CodeGroup[];
  return [
    '| stage | code | severity | problem |',
    '|---|---|---|---|',
    ...groups.flatMap((group) =>
      Object.entries(CODES)
        .filter(([, info]) => info.group === group)
        .map(([code, info]) => `| ${group} | \`${code}\` | ${info.severity} | ${cell(info.meaning)} |`),
    ),
  ].join('\n');
}

const GENERATED: Record<string, () => string> = {
  codes: codesTable,
  'deliberate-differences': markdownTable,
};

const section = (name: string) => new RegExp(`<!-- generated: ${name} -->\\n([\\s\\S]*?)\\n?<!-- end: ${name} -->`);

describe('README', () => {
  for (const [name, generate] of Object.entries(GENERATED))
    it(`shows the ${name} table as its source has it`, () => {
      const text = readFileSync(README, 'utf8');
      const match = section(name).exec(text);
      expect(match, `README.md has no <!-- generated: ${name} --> section`).not.toBeNull();
      const table = generate();
      if (update && match?.[1] !== table) {
        const replaced = `<!-- generated: ${name} -->\n${table}\n<!-- end: ${name} -->`;
        writeFileSync(
          README,
          text.replace(section(name), () => replaced),
        );
        return;
      }
      expect(match?.[1], 'run `npm run docs` and review the diff').toBe(table);
    });

  it('lists every stage of the registry in order, each code once', () => {
    const stages = codesTable()
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ')[0]!.slice(2));
    expect([...new Set(stages)]).toEqual(Object.keys(CODE_GROUPS));
    expect(stages).toHaveLength(Object.keys(CODES).length);
  });
});
