import { isGeneratedVolume } from '../../argo/contract.js';
import type { Checked } from '../../model/checked.js';
import type { Path } from '../../parse/source.js';
import type { Volume } from '../../schema/k8s.js';
import type { BindContext, Origin } from './context.js';
import { dnsLabelProblem } from './kubernetes.js';
import { checkPlain } from './plain.js';

/**
 * Pod volumes from the file: DNS-1123 names, none taking a name the transpiler gives its own
 * volumes (the context and outputs folders, plugins, connections), no template inside.
 */
export function checkVolumes(
  volumes: readonly Volume[],
  context: BindContext,
  origin: Origin,
  at: Path,
): Checked[] | undefined {
  const mark = context.mark();
  const out: Checked[] = [];
  volumes.forEach((volume, i) => {
    const problem = dnsLabelProblem(volume.name);
    if (problem)
      context.report(
        origin,
        [...at, i, 'name'],
        'invalid-name',
        `volume name \`${volume.name}\` is not valid: ${problem}`,
        { anchor: 'value' },
      );
    else if (isGeneratedVolume(volume.name))
      context.report(
        origin,
        [...at, i, 'name'],
        'reserved-name',
        `volume name \`${volume.name}\` is one the transpiler gives its own volumes`,
        {
          anchor: 'value',
          hint: 'rename the volume (names starting with `plx-` or `conn-` are taken)',
        },
      );
    const checked = checkPlain(volume, context, origin, [...at, i], '`volumes`');
    if (checked) out.push(checked);
  });
  return context.refusedSince(mark) ? undefined : out;
}
