import { describe, expect, it } from 'vitest';
import { createRetry, readRetry, toClusterError } from '../src/cluster/argo-api.js';
import { KubeResponseError } from '../src/cluster/kube-client.js';
import { parseRetryAfter, retryDelay } from '../src/cluster/retry.js';
import { redactWith } from '../src/action/secrets.js';

/** The decisions behind the Kubernetes API retries, and the redaction of secrets, as pure functions. */

const status = (code: number, reason: string, message: string, headers: Record<string, string> = {}) =>
  toClusterError(
    'create the Workflow',
    new KubeResponseError(code, JSON.stringify({ kind: 'Status', code, reason, message }), headers),
    'ml',
  );

const connectionFailed = (code: string, message: string) =>
  toClusterError('create the Workflow', Object.assign(new Error(message), { code }), 'ml');

describe('retry delays', () => {
  const policy = { maxAttempts: 4, maxWaitMs: 10_000, baseDelayMs: 1000 };

  it('waits as Retry-After says, else doubles from the base, and stops at the attempts or the total wait', () => {
    expect(retryDelay(1, 0, 3000, policy)).toBe(3000);
    expect([1, 2, 3].map((attempt) => retryDelay(attempt, 0, undefined, policy))).toEqual([1000, 2000, 4000]);
    expect(retryDelay(4, 0, undefined, policy)).toBeUndefined();
    expect(retryDelay(2, 8000, 3000, policy)).toBeUndefined();
    expect(retryDelay(1, 0, 60_000, policy)).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('which failed requests are sent again', () => {
  it('repeats a create only when the server cannot have created anything', () => {
    const tooMany = status(429, 'TooManyRequests', 'Too many requests, please try again later.', {
      'retry-after': '1',
    });
    expect(tooMany.retryAfterMs).toBe(1000);
    expect(createRetry(tooMany, false)).toBe('later');
    expect(createRetry(connectionFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6443'), false)).toBe('later');
    const clash = status(
      409,
      'AlreadyExists',
      'workflows.argoproj.io "p-x7k2q" already exists, the server was not able to generate a unique name for the object',
    );
    expect(createRetry(clash, true)).toBe('now');
    expect(createRetry(clash, false)).toBe('never');
    for (const maybeCreated of [
      status(500, 'InternalError', 'Internal error occurred'),
      status(504, 'Timeout', 'Timeout'),
      connectionFailed('ECONNRESET', 'socket hang up'),
      connectionFailed('ECONNRESET', 'read ECONNRESET'),
    ]) {
      expect(createRetry(maybeCreated, true)).toBe('never');
    }
  });

  it('repeats reads after 429, 5xx and broken connections, not after other answers or TLS errors', () => {
    expect(
      [
        status(429, 'TooManyRequests', 'x'),
        status(503, 'ServiceUnavailable', 'x'),
        connectionFailed('ECONNRESET', 'x'),
      ].map(readRetry),
    ).toEqual(['later', 'later', 'later']);
    expect(
      [
        status(404, 'NotFound', 'x'),
        status(403, 'Forbidden', 'x'),
        connectionFailed('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      ].map(readRetry),
    ).toEqual(['never', 'never', 'never']);
  });

  it('takes the wait from the Status when there is no Retry-After header', () => {
    const error = toClusterError(
      'read workflow w',
      new KubeResponseError(
        429,
        JSON.stringify({ kind: 'Status', code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } }),
        {},
      ),
      'ml',
    );
    expect(error.retryAfterMs).toBe(3000);
    expect(error.message).toBe('cannot read workflow w: Too Many Requests (HTTP 429)');
  });
});

describe('redaction', () => {
  it('replaces every secret, the longest first, and leaves short values alone', () => {
    expect(
      redactWith(['abcd1234', 'abcd1234-long-secret', 'ab'], 'token abcd1234-long-secret and abcd1234, not ab'),
    ).toBe('token *** and ***, not ab');
  });
});
