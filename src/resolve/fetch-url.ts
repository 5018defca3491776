import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { optionRef } from '../diagnostics/option-names.js';
import { checkScheme, internalAddress, urlHost, type UrlPolicy } from './url-policy.js';

/** Resolves a host name to its addresses (dns.lookup by default; tests pass a stub). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface DownloadOptions extends UrlPolicy {
  maxBytes: number;
  /** For the whole download, redirects and body included. */
  timeoutMs: number;
  resolve?: Resolver;
  /** One HTTP GET without following redirects (tests pass a stub; `httpGet` by default). */
  get?: HttpGet;
}

export type HttpGet = (url: URL, connection: ConnectionRules, signal: AbortSignal) => Promise<HttpAnswer>;

/** What a connection must respect: the address it may reach and the size of what it reads. */
export interface ConnectionRules extends UrlPolicy {
  maxBytes: number;
  resolve: Resolver;
}

export type HttpAnswer =
  | { status: number; location?: string | undefined; body?: undefined }
  | { status: number; body: Buffer; location?: undefined };

/** Why a download failed, said for a diagnostic; `refused` when our policy said no. */
export interface DownloadFailure {
  failure: string;
  refused: boolean;
  hint?: string;
}

const MAX_REDIRECTS = 3;

/**
 * Downloads the text at a urlRef. Every hop (the URL and each redirect) passes the scheme
 * check, and every connection is made to an address that was checked when it was resolved,
 * and checked again on the connected socket: a DNS answer cannot change between the check and
 * the connection, and an IP literal in any spelling (`[::ffff:127.0.0.1]`, `0x7f.1`,
 * `2130706433`) is judged as the address it is.
 */
export async function downloadText(url: string, options: DownloadOptions): Promise<string | DownloadFailure> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { failure: 'it is not a valid URL', refused: false };
  }
  const rules: ConnectionRules = {
    allowPrivate: options.allowPrivate,
    maxBytes: options.maxBytes,
    resolve: options.resolve ?? resolveAll,
  };
  const get = options.get ?? httpGet;
  const signal = AbortSignal.timeout(options.timeoutMs);
  for (let hop = 0; ; hop++) {
    const where = hop ? ` (redirected to ${target.href})` : '';
    const scheme = checkScheme(target, options);
    if (scheme) return refusal(`${where ? `${where.trim()}: ` : ''}${scheme}`);
    let answer: HttpAnswer;
    try {
      answer = await get(target, rules, signal);
    } catch (error) {
      if (error instanceof AddressRefused) return refusal(`${where ? `${where.trim()}: ` : ''}${error.message}`);
      if (signal.aborted)
        return {
          failure: `no complete answer within ${seconds(options.timeoutMs)}${where}`,
          refused: false,
          hint: 'check that the host is up and the URL right, or vendor the component and use `pathRef`',
        };
      if (error instanceof TooLarge)
        return { failure: `it is over the ${options.maxBytes}-byte limit`, refused: false };
      return { failure: `${describeError(error)}${where}`, refused: false };
    }
    if (answer.body) {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(answer.body);
      } catch {
        return { failure: 'it is not valid UTF-8 text', refused: false };
      }
    }
    if (answer.status >= 300 && answer.status < 400 && answer.location) {
      if (hop === MAX_REDIRECTS) return { failure: `more than ${MAX_REDIRECTS} redirects`, refused: false };
      try {
        target = new URL(answer.location, target);
      } catch {
        return { failure: `it redirects to \`${answer.location}\`, which is not a valid URL`, refused: false };
      }
      continue;
    }
    return { failure: `HTTP ${answer.status}${where}`, refused: false };
  }
}

const refusal = (failure: string): DownloadFailure => ({
  failure,
  refused: true,
  hint: 'vendor the component in the repository and use `pathRef`',
});

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** The connection would reach an address the policy refuses. */
export class AddressRefused extends Error {}
class TooLarge extends Error {}

const resolveAll: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * One GET with node:http(s), never reusing a connection. The host name is resolved by our
 * `lookup`, which refuses internal addresses before any connection, and the socket's remote
 * address is checked again once connected (an IP literal skips the lookup).
 */
export const httpGet: HttpGet = async (url, rules, signal) => {
  // Loaded on the first download only: node:https alone is about 12 ms of every start-up otherwise.
  const { request: get } = url.protocol === 'http:' ? await import('node:http') : await import('node:https');
  return new Promise((resolve, reject) => {
    // The first outcome wins: a destroyed request also reports the errors its destruction causes.
    let settled = false;
    const fail = (error: unknown) => {
      if (!settled) reject(error instanceof Error ? error : new Error(String(error)));
      settled = true;
    };
    const succeed = (answer: HttpAnswer) => {
      if (!settled) resolve(answer);
      settled = true;
    };
    const host = urlHost(url);
    if (isIP(host)) {
      const refused = refusedAddress(host, host, rules);
      if (refused) return fail(refused);
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      rules.resolve(hostname).then(
        (addresses) => {
          const bad = addresses.map((a) => refusedAddress(hostname, a.address, rules)).find(Boolean);
          if (bad) return callback(bad, '', 0);
          if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
          if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
          callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => callback(error, '', 0),
      );
    };
    const request = get(url, {
      agent: false,
      lookup,
      signal,
      headers: { accept: 'application/yaml, application/json, text/plain, */*', 'accept-encoding': 'identity' },
    });
    const stop = (error: Error) => {
      fail(error);
      request.destroy(error);
    };
    request.on('socket', (socket: Socket) =>
      socket.once('connect', () => {
        const refused = refusedAddress(host, socket.remoteAddress ?? '', rules);
        if (refused) stop(refused);
      }),
    );
    request.on('error', fail);
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 || status < 200) {
        response.resume();
        succeed({ status, location: response.headers.location });
        return;
      }
      if (Number(response.headers['content-length']) > rules.maxBytes) return stop(new TooLarge());
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > rules.maxBytes) stop(new TooLarge());
        else chunks.push(chunk);
      });
      response.on('end', () => succeed({ status, body: Buffer.concat(chunks) }));
      response.on('error', fail);
    });
    request.end();
  });
};

function refusedAddress(host: string, address: string, rules: UrlPolicy): AddressRefused | undefined {
  if (rules.allowPrivate) return undefined;
  const reason = internalAddress(address);
  if (!reason) return undefined;
  const subject = host === address ? `${address} is` : `${host} resolves to ${address},`;
  return new AddressRefused(`${subject} ${reason} (allow it with ${optionRef('allow-private-urls')})`);
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: Error }).cause;
  const code = (error as NodeJS.ErrnoException).code;
  const message = cause?.message ?? (error as Error).message;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
