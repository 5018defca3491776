// Extracts, from GitHub's published OpenAPI description (@octokit/openapi), the request and
// response schemas of the REST operations the Action calls, into test/fixtures/github-openapi.json.
// The stand-in GitHub server of the tests validates every request and response against them.
// The package is 385 MB, so it is installed into a temporary folder, never into the project.
// Usage: node scripts/extract-github-schemas.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '23.0.2';
const OPERATIONS = [
  'pulls/list-files',
  'repos/get-content',
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'checks/create',
  'checks/update',
  'checks/list-for-ref',
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'octokit-openapi-'));
try {
  execFileSync('npm', ['install', '--no-save', '--ignore-scripts', '--prefix', work, `@octokit/openapi@${VERSION}`], {
    stdio: 'inherit',
  });
  const spec = JSON.parse(
    readFileSync(
      path.join(work, 'node_modules', '@octokit', 'openapi', 'generated', 'api.github.com.deref.json'),
      'utf8',
    ),
  );
  const out = { source: `@octokit/openapi@${VERSION} generated/api.github.com.deref.json`, operations: {} };
  for (const [route, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!OPERATIONS.includes(operation.operationId)) continue;
      const responses = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const schema = response.content?.['application/json']?.schema;
        responses[status] = schema ?? null;
      }
      out.operations[operation.operationId] = {
        method: method.toUpperCase(),
        path: route,
        parameters: (operation.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: p.schema,
        })),
        requestBody: operation.requestBody?.content?.['application/json']?.schema ?? null,
        responses,
      };
    }
  }
  const missing = OPERATIONS.filter((id) => !out.operations[id]);
  if (missing.length) throw new Error(`not in the description: ${missing.join(', ')}`);
  writeFileSync(path.join(root, 'test', 'fixtures', 'github-openapi.json'), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`wrote ${OPERATIONS.length} operations to test/fixtures/github-openapi.json`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
