import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isError } from '../../src/diagnostics/diagnostic.js';
import { readConnectionCatalog } from '../../src/resolve/connection-catalog.js';
import { transpile } from '../../src/transpile.js';
import { serveHub, startPolyaxonJudge, type PolyaxonJudge } from '../support/polyaxon-judge.js';
import { EXTERNAL_FIXTURES, REPO_ROOT } from '../support/paths.js';
import { corpusFiles, HUBS } from './corpora.js';

/**
 * How much of the real world runs on Argo: every file of the external corpus that Polyaxon
 * accepts is transpiled (with the corpus's hub and connections catalog), and the failures are
 * grouped by what stops them. The counts print on every run; they may only go up (BASELINE).
 */

/**
 * Files that transpile today, per kind: raise these as the transpiler learns more. (`other` was
 * 66 while `{{ globals.uuid }}` read the pod's name, which is not the uuid `ops.X globals.uuid`
 * gives downstream; it is now the run's node id, known only inside the container, so the 2 files
 * that put it in `workingDir`, which the kubelet does not expand, are refused with a located error.)
 */
const BASELINE = { dag: 1, other: 64 };

let judge: PolyaxonJudge;
let hubUrl: string;
let closeHub: () => Promise<void>;
beforeAll(async () => {
  judge = await startPolyaxonJudge();
  const hub = await serveHub(HUBS.external);
  hubUrl = hub.url;
  closeHub = hub.close;
}, 120_000);
afterAll(async () => {
  await judge.close();
  await closeHub();
});

/** A dag file: its run (or its operation's inline component's run) is a dag. */
function isDag(text: string): boolean {
  try {
    const value = parse(text, { version: '1.1' }) as {
      run?: { kind?: string };
      component?: { run?: { kind?: string } };
    };
    return (value.run?.kind ?? value.component?.run?.kind) === 'dag';
  } catch {
    return false;
  }
}

/** A diagnostic's message with the names in backticks replaced, so the same problem groups. */
const shape = (message: string) => message.replace(/`[^`]*`/g, '`…`').replace(/\d+/g, 'N');

describe('the external corpus on Argo', () => {
  it('counts what transpiles, and groups what stops the rest', async () => {
    const catalog = readConnectionCatalog(
      'fixtures/external/connections.yaml',
      readFileSync(path.join(EXTERNAL_FIXTURES, 'connections.yaml'), 'utf8'),
    ).catalog;
    const counts = { dag: { accepted: 0, transpiled: 0 }, other: { accepted: 0, transpiled: 0 } };
    const blockers = new Map<string, { files: Set<string>; example: string }>();
    for (const file of corpusFiles().filter((f) => f.corpus === 'external')) {
      const verdict = await judge.check(file.file, { hub: hubUrl });
      if (!verdict.valid) continue;
      const text = readFileSync(file.file, 'utf8');
      const kind = isDag(text) ? 'dag' : 'other';
      counts[kind].accepted++;
      const result = await transpile(file.name, text, {
        kind: 'workflow',
        absolutePath: file.file,
        offline: true,
        cwd: REPO_ROOT,
        hubDir: HUBS.external,
        // What a user names once for `{{ globals.project_name }}` and its kin.
        project: { owner: 'acme', name: 'corpus' },
        ...(catalog ? { connections: catalog } : {}),
      });
      if (result.output) {
        counts[kind].transpiled++;
        continue;
      }
      for (const d of result.diagnostics.filter(isError)) {
        const key = `${kind} ${d.code}: ${shape(d.message)}`;
        const group = blockers.get(key) ?? {
          files: new Set(),
          example: `${d.location.file}:${d.location.line}: ${d.message}`,
        };
        group.files.add(file.name);
        blockers.set(key, group);
      }
    }
    const lines = [...blockers]
      .sort((a, b) => b[1].files.size - a[1].files.size)
      .map(
        ([key, group]) =>
          `  ${String(group.files.size).padStart(3)} files  ${key}\n               e.g. ${group.example}`,
      );
    console.log(
      `external corpus: dags ${counts.dag.transpiled} of ${counts.dag.accepted} Polyaxon accepts transpile; ` +
        `other files ${counts.other.transpiled} of ${counts.other.accepted}\nwhat stops the rest (files per problem):\n${lines.join('\n')}`,
    );
    expect(counts.dag.accepted + counts.other.accepted).toBeGreaterThan(100);
    expect(counts.dag.transpiled).toBeGreaterThanOrEqual(BASELINE.dag);
    expect(counts.other.transpiled).toBeGreaterThanOrEqual(BASELINE.other);
  }, 300_000);
});
