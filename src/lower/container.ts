import { render, type ArgoText, type Delivery } from '../argo/text.js';
import type { BoundContainer } from '../model/pipeline.js';

export type ArgoContainer = Record<string, unknown> & {
  env?: { name: string; value?: unknown; valueFrom?: unknown }[];
};

/** How a text is written: rendered into the template, or kept for a manifest's own writer. */
export type Writer = (text: ArgoText, delivery: Delivery) => unknown;

/** A bound container → the container Argo writes into the pod, each text written for where it goes. */
export function lowerContainer(container: BoundContainer, write: Writer = render): ArgoContainer {
  const out: ArgoContainer = {};
  if (container.name) out.name = container.name;
  if (container.image) out.image = write(container.image, 'plain');
  if (container.command) out.command = container.command.map((item) => write(item, 'argv'));
  if (container.args) out.args = container.args.map((item) => write(item, 'argv'));
  if (container.workingDir) out.workingDir = write(container.workingDir, 'plain');
  Object.assign(out, container.other);
  if (container.env.length)
    out.env = container.env.map((variable) =>
      'value' in variable
        ? { name: variable.name, value: write(variable.value, variable.file ? 'file' : 'argv') }
        : { name: variable.name, valueFrom: variable.valueFrom },
    );
  if (container.envFrom.length) out.envFrom = container.envFrom;
  if (container.ports.length) out.ports = container.ports;
  if (container.volumeMounts.length) out.volumeMounts = container.volumeMounts;
  return out;
}
