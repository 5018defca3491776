import type { Path } from '../../parse/source.js';
import type { BindContext, Origin } from './context.js';

/**
 * Formats Kubernetes enforces when the workflow's pods are created, checked at their place in
 * the file: otherwise the pipeline is accepted and its operation fails at run time.
 */

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `key` is not a valid label or annotation key (`[prefix/]name`), if it is not. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `the prefix \`${prefix}\` is not a lowercase DNS subdomain`;
  if (name.length === 0 || name.length > 63)
    return `the name part must have 1 to 63 characters, \`${name}\` has ${name.length}`;
  if (!QUALIFIED_NAME.test(name))
    return `\`${name}\` must start and end with a letter or digit, with only \`-\`, \`_\` and \`.\` between`;
  return undefined;
}

/** Why `value` is not a valid label value, if it is not. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `a label value has at most 63 characters, this one has ${value.length}`;
  if (value !== '' && !QUALIFIED_NAME.test(value))
    return 'a label value must start and end with a letter or digit, with only `-`, `_` and `.` between';
  return undefined;
}

/** Why `name` is not a DNS-1123 label (pods, containers, ports…), if it is not. */
export function dnsLabelProblem(name: string, max = 63): string | undefined {
  if (name.length > max) return `it has ${name.length} characters, at most ${max} are allowed`;
  if (!DNS_LABEL.test(name))
    return 'it must hold lowercase letters, digits and `-`, and start and end with a letter or digit';
  return undefined;
}

export function checkLabels(labels: Record<string, unknown>, context: BindContext, origin: Origin, at: Path): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem)
      context.report(origin, [...at, key], 'invalid-label', `label key \`${key}\`: ${keyProblem}`, {
        hint: 'Kubernetes would refuse the pod',
      });
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem)
      context.report(origin, [...at, key], 'invalid-label', `label \`${key}\`: ${valueProblem}`, {
        anchor: 'value',
        hint: 'put longer or free text in an annotation',
      });
  }
}

/** Kubernetes limits all of an object's annotations together to 256 KiB. */
export const ANNOTATIONS_LIMIT = 256 * 1024;

export function checkAnnotations(
  annotations: Record<string, unknown>,
  context: BindContext,
  origin: Origin,
  at: Path,
): void {
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const problem = labelKeyProblem(key);
    if (problem)
      context.report(origin, [...at, key], 'invalid-label', `annotation key \`${key}\`: ${problem}`, {
        hint: 'Kubernetes would refuse the pod',
      });
    size += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (size > ANNOTATIONS_LIMIT)
    context.report(
      origin,
      at,
      'annotation-too-large',
      `the annotations take ${size} bytes; Kubernetes allows ${ANNOTATIONS_LIMIT} per pod`,
      {
        hint: 'keep large data in a ConfigMap or pass it as a param',
      },
    );
}

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A resource quantity's value (`500m` → 0.5, `1Gi` → 1073741824); undefined when not a quantity. */
export function quantityValue(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return quantity;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|([KMGTPE]i|[numkMGTPE])?)$/.exec(quantity.trim());
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  return Number(number) * (exponent ? Number(`1${exponent}`) : (SUFFIXES[suffix ?? ''] ?? 1));
}

/** `resources`: no negative quantity, no request above its limit (the API server refuses both). */
export function checkResources(
  resources: { limits?: Record<string, string | number>; requests?: Record<string, string | number> },
  context: BindContext,
  origin: Origin,
  at: Path,
): void {
  for (const section of ['limits', 'requests'] as const) {
    for (const [name, quantity] of Object.entries(resources[section] ?? {})) {
      const value = quantityValue(quantity);
      if (value !== undefined && value < 0)
        context.report(
          origin,
          [...at, section, name],
          'invalid-quantity',
          `\`${name}\` ${section.slice(0, -1)} ${quantity} is negative`,
          {
            anchor: 'value',
            hint: 'resource quantities must be zero or more',
          },
        );
    }
  }
  for (const [name, request] of Object.entries(resources.requests ?? {})) {
    const limit = resources.limits?.[name];
    if (limit === undefined) continue;
    const requested = quantityValue(request);
    const limited = quantityValue(limit);
    if (requested !== undefined && limited !== undefined && requested > limited)
      context.report(
        origin,
        [...at, 'requests', name],
        'invalid-quantity',
        `the \`${name}\` request (${request}) is above its limit (${limit})`,
        {
          anchor: 'value',
          hint: 'a request must not exceed the limit: raise the limit or lower the request',
        },
      );
  }
}

/** Container ports: numbers 1–65535, named ports DNS-1123 labels of at most 15 characters. */
export function checkPorts(
  ports: readonly Record<string, unknown>[],
  context: BindContext,
  origin: Origin,
  at: Path,
): void {
  ports.forEach((port, i) => {
    for (const field of ['containerPort', 'hostPort'] as const) {
      const value = port[field];
      if (value !== undefined && !isPortNumber(value))
        context.report(
          origin,
          [...at, i, field],
          'invalid-port',
          `\`${field}\` ${JSON.stringify(value)} is not a port number`,
          {
            anchor: 'value',
            hint: 'ports are whole numbers from 1 to 65535',
          },
        );
    }
    if (typeof port.name === 'string' && (port.name.length > 15 || dnsLabelProblem(port.name)))
      context.report(
        origin,
        [...at, i, 'name'],
        'invalid-port',
        `port name \`${port.name}\` must be a DNS label of at most 15 characters`,
        {
          anchor: 'value',
        },
      );
  });
}

export const isPortNumber = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
