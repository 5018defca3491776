import type { Mismatch } from './rendering.test.js';

/**
 * How our containers' command, args and env differ from Polyaxon's rendering today. Those not
 * `byDesign` are lowering's to fix (src/lower): the rendering test fails on any difference not
 * listed here, and each entry's `it.fails` turns red once its difference is gone.
 */
export interface RenderingDifference {
  what: string;
  /** Our runtime contract differs on purpose (README, "The runtime contract of a job"). */
  byDesign?: boolean;
  matches(mismatch: Mismatch): boolean;
}

/** A value written the way Python's str() writes it (`[1, 'a']`, `{'a': True}`). */
function pythonRepr(value: unknown): string {
  if (typeof value === 'string')
    return value.includes("'") && !value.includes('"')
      ? `"${value}"`
      : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pythonFloat(String(value));
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

const asJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Python's repr of a float: `100.0`, `1e-07`, `1e+16`. */
function pythonFloat(text: string): string {
  const n = Number(text);
  if (!Number.isFinite(n) || text.trim() === '') return text;
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  const exp = n.toExponential();
  const [mantissa, power] = exp.split('e') as [string, string];
  if (Math.abs(n) < 1e-4 || Math.abs(n) >= 1e16) return `${mantissa}e${power[0]}${power.slice(1).padStart(2, '0')}`;
  return String(n);
}

const numbers = /-?\d+(\.\d+)?(e[-+]?\d+)?/gi;
const canonicalNumbers = (text: string) => text.replace(numbers, (n) => String(Number(n)));

export const KNOWN_RENDERING_DIFFERENCES: RenderingDifference[] = [
  {
    what: "lists and dicts render as Python writes them (`[1, 'a']`, `{'a': 1}`) in `{{ x }}`; we write compact JSON",
    matches: (m) => /^[[{]/.test(m.ours) && asJson(m.ours) !== undefined && pythonRepr(asJson(m.ours)) === m.polyaxon,
  },
  {
    what: "a float in `as_arg` or in an env value that is one value is written as JSON (`1e-7`, `0.000015`); we write it as Python's str() does everywhere (`1e-07`, `1.5e-05`)",
    // The same numbers, spelt differently.
    matches: (m) => m.ours !== m.polyaxon && canonicalNumbers(m.ours) === canonicalNumbers(m.polyaxon),
  },
  {
    what: "`{{ params.as_args }}` inside a longer string renders the Python list of the args (`python train.py ['--epochs=3']`); we write the args joined by spaces",
    matches: (m) => /\['--/.test(m.polyaxon) && m.ours.includes('--'),
  },
  {
    what: "globals take Argo's values: `{{ globals.uuid }}` is the run's node id, `namespace` the workflow's, the artifacts paths under /plx-context/artifacts/run (Polyaxon renders `run_outputs_path` empty without its artifacts store)",
    byDesign: true,
    matches: (m) =>
      /^(globals\.yaml|download-and-merge\.yaml)/.test(m.case) ||
      /workflow\.namespace|\/plx-context\/artifacts\/run|^--run=pod$/.test(m.ours),
  },
  {
    what: 'text that looks like a number inside a list or dict param comes back as a number from Polyaxon\'s compiler (`["0"]` renders `[0]`); we keep the text',
    matches: (m) => {
      const value = /^[[{]/.test(m.ours) ? asJson(m.ours) : undefined;
      if (value === undefined) return false;
      const numbered = numberLike(value);
      return pythonRepr(numbered) === m.polyaxon || JSON.stringify(numbered) === m.polyaxon;
    },
  },
];

/** Strings that read as numbers, turned into those numbers, at any depth. */
function numberLike(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (Array.isArray(value)) return value.map(numberLike);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numberLike(v)]));
  return value;
}
