// Bundles each entry point with ncc into one committed file under dist/, plus the CLI's launcher.
// Usage: node scripts/build.mjs [OUT_DIR]   (default: dist; the dist test builds into a temp dir)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.argv[2] ?? 'dist');
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

/** entry source → bundle name in dist/ */
const ENTRIES = [
  ['src/cli/main.ts', 'cli-main.js'],
  ['src/action/index.ts', 'index.js'],
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [entry, name] of ENTRIES) {
  const work = mkdtempSync(path.join(tmpdir(), 'ncc-'));
  execFileSync(process.execPath, [ncc, 'build', path.join(root, entry), '-o', work, '--quiet', '--target', 'es2022'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // A dynamic import would make ncc emit chunk files next to index.js; we ship single files.
  const extra = readdirSync(work).filter((f) => f !== 'index.js' && f !== 'package.json');
  if (extra.length) throw new Error(`ncc emitted more than one file for ${entry}: ${extra.join(', ')}`);
  cpSync(path.join(work, 'index.js'), path.join(out, name));
  rmSync(work, { recursive: true, force: true });
}
// dist/cli.js enables Node's compile cache before it loads cli-main.js. It stays out of ncc,
// which would hoist the bundle's import above that call.
const launcher = readFileSync(path.join(root, 'src', 'cli', 'bin.ts'), 'utf8');
const { outputText } = ts.transpileModule(launcher, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
writeFileSync(path.join(out, 'cli.js'), outputText, { mode: 0o755 });
// The bundles are ES modules.
writeFileSync(path.join(out, 'package.json'), '{\n  "type": "module"\n}\n');
