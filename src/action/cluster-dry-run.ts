import * as core from '@actions/core';
import { ArgoApi } from '../cluster/argo-api.js';
import { dryRun } from '../cluster/dry-run.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { isError, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { spellDiagnostics } from '../diagnostics/option-names.js';
import { diagnosticAtOperation } from '../forecast/forecast-diagnostics.js';
import { annotate } from './annotations.js';
import type { CheckedFile } from './check-files.js';
import type { Config } from './inputs.js';
import { ACTION_SPELLING } from './option-spelling.js';
import { addSecrets, redact } from './secrets.js';
import type { Timing } from './timing.js';

/**
 * validate and transpile with a kubeconfig: each valid manifest is also created with a
 * server-side dry run, and what the cluster refuses becomes an error at the Polyaxonfile. Never
 * for a fork's pull request: it would judge a stranger's pipeline with this repository's
 * credentials (on `pull_request` a fork gets no secrets anyway; on `pull_request_target` it would).
 */
export async function clusterDryRun(
  checked: CheckedFile[],
  config: Config,
  fromFork: boolean,
  timing: Timing,
): Promise<void> {
  if (fromFork) {
    core.notice('The dry run on the cluster is skipped: this pull request comes from a fork.');
    return;
  }
  const client = loadKubeConfig(config.kubeconfig, { onSecret: (value) => addSecrets([value]) });
  await core.group('Dry run on the cluster', async () => {
    for (const file of checked) {
      const manifest = file.result.manifest;
      if (!manifest || !file.result.root || file.diagnostics.some(isError)) continue;
      const namespace = manifest.metadata.namespace ?? config.namespace;
      const api = new ArgoApi(client, namespace, { log: (m) => core.info(redact(m)), policy: timing.retry });
      const { refusals, skipped } = await dryRun(api, manifest);
      if (skipped) {
        core.warning(redact(`the dry run of ${file.file} could not be judged by the cluster: ${skipped}`));
        continue;
      }
      const root = file.result.root;
      const found = spellDiagnostics(
        refusals.map((r) => diagnosticAtOperation(root, r.operation, r.code, r.message, r.hint)),
        ACTION_SPELLING,
      );
      core.info(
        found.length
          ? `${file.file}: the cluster refuses it (${found.length} problem(s))`
          : `${file.file}: accepted by the cluster in namespace ${namespace} (dry run)`,
      );
      annotate(found, file.file);
      file.diagnostics = sortDiagnostics([...file.diagnostics, ...found]);
    }
  });
  client.close();
}
