import * as core from '@actions/core';
import { kubeconfigSecrets } from '../cluster/kubeconfig.js';

/**
 * The credentials the Action holds (the GitHub token, the kubeconfig's tokens, keys and
 * certificates). Each is masked in the step's log with `core.setSecret`; but the runner masks
 * only the log, so everything written elsewhere (job summary, comments, check runs, annotations
 * and failure messages, which quote errors from HTTP clients and servers) goes through `redact`.
 */
const known = new Set<string>();

/** Masks the Action's credentials, the `token`, `argo-token` and `kubeconfig` inputs: first thing, whatever the mode. */
export function maskInputSecrets(): void {
  addSecrets([
    core.getInput('token'),
    core.getInput('argo-token').replace(/^Bearer\s+/i, ''),
    ...kubeconfigSecrets(core.getInput('kubeconfig')),
  ]);
}

/** Masks each value from here on. */
export function addSecrets(values: Iterable<string>): void {
  for (const value of values) {
    if (!value.trim() || known.has(value)) continue;
    known.add(value);
    core.setSecret(value);
  }
}

/** `text` with every known secret replaced by `***`, as the runner shows masked values. */
export function redact(text: string): string {
  return redactWith(known, text);
}

/** An error's message, redacted: the one thing any catch in the Action may print. */
export function describeError(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

export function redactWith(secrets: Iterable<string>, text: string): string {
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...secrets].filter((s) => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
  return ordered.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** Shorter values are masked in the log but not replaced here: they would garble ordinary words. */
const MIN_LENGTH = 4;
