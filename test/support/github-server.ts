import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from './paths.js';

/**
 * A local stand-in for the parts of the GitHub REST API the Action calls. Every request and
 * every response is validated against GitHub's published OpenAPI description (the schemas of
 * test/fixtures/github-openapi.json), so a wrong field, a missing required one or a wrong
 * status fails the test the way GitHub would reject it.
 */

interface Operation {
  method: string;
  path: string;
  requestBody: object | null;
  responses: Record<string, object | null>;
}

/** OpenAPI 3.0's `nullable: true` in JSON Schema terms: the type also admits null. */
function nullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullable);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = nullable(value);
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

const description = nullable(
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'github-openapi.json'), 'utf8')),
) as { operations: Record<string, Operation> };
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

const validators = new Map<string, ReturnType<Ajv2020['compile']>>();
function validate(key: string, schema: object, value: unknown): string | undefined {
  let check = validators.get(key);
  if (!check) validators.set(key, (check = ajv.compile(schema)));
  return check(value) ? undefined : ajv.errorsText(check.errors, { dataVar: key });
}

export interface Comment {
  id: number;
  body: string;
  login: string;
  type: 'Bot' | 'User';
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  external_id: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every state the check went through, for assertions. */
  history: { status: string; conclusion: string | null }[];
}

export interface GitHubState {
  checkRuns: CheckRun[];
  /** Files of each pull request, in the order GitHub lists them. */
  pullFiles: Map<number, { filename: string; status: string }[]>;
  /** File text by `ref:path`. */
  contents: Map<string, string>;
  comments: Map<number, Comment[]>;
  /**
   * Answers instead of handling, by operation id: a status every time (403 for a read-only
   * token), or a scripted fault for the next `times` calls (rate limits, server errors).
   */
  failures: Map<string, number | Fault>;
}

/**
 * A transient fault as GitHub answers it: `rate-limit` is the primary limit (403 with
 * x-ratelimit-remaining 0 and the reset time), `secondary` the abuse limit (403 with
 * retry-after), `server` a 502. See docs.github.com, "Rate limits for the REST API".
 */
export interface Fault {
  kind: 'rate-limit' | 'secondary' | 'server';
  /** How many calls fail before the endpoint works again. */
  times: number;
  /** A server fault's status (default 502). */
  status?: number;
  /** Handle the call, then answer the fault: the change happened, but the caller cannot know. */
  after?: boolean;
  /** Quote the request's Authorization header in the message, as a careless proxy's error page might. */
  echoAuthorization?: boolean;
}

export interface Call {
  operation: string;
  method: string;
  url: string;
  body?: unknown;
  status: number;
}

export class GitHubStandIn {
  readonly state: GitHubState = {
    checkRuns: [],
    pullFiles: new Map(),
    contents: new Map(),
    comments: new Map(),
    failures: new Map(),
  };
  readonly calls: Call[] = [];
  /** Every request or response that broke GitHub's published contract. */
  readonly violations: string[] = [];
  private server?: Server;
  private nextId = 1000;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as unknown) : undefined;
    const match = this.route(req.method ?? 'GET', url.pathname);
    if (!match) {
      this.violations.push(`no such endpoint: ${req.method} ${url.pathname}`);
      return this.send(res, 404, { message: 'Not Found' });
    }
    const { id, operation, params } = match;
    if (operation.requestBody) {
      const problem = validate(`${id} request`, operation.requestBody, body);
      if (problem) this.violations.push(`${id}: ${problem}`);
    }
    const scripted = this.state.failures.get(id);
    const after = typeof scripted === 'object' && scripted.after && scripted.times > 0;
    const handled = after ? this.respond(id, params, url, body) : undefined;
    const failure = this.failure(id, req.headers.authorization ?? '');
    const [status, payload, headers] = failure ?? handled ?? this.respond(id, params, url, body);
    const schema = operation.responses[String(status)];
    // Any endpoint may answer a 5xx; other statuses must be ones the description lists.
    if (schema === undefined && status < 500) this.violations.push(`${id}: GitHub does not answer ${status}`);
    else if (schema && !failure) {
      const problem = validate(`${id} ${status} response`, schema, payload);
      if (problem) this.violations.push(`${id} response: ${problem}`);
    }
    this.calls.push({
      operation: id,
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      ...(body !== undefined ? { body } : {}),
      status,
    });
    this.send(res, status, payload, headers);
  }

  /** The scripted answer for this call, if it is to fail. */
  private failure(id: string, authorization: string): [number, object, Record<string, string>] | undefined {
    const failure = this.state.failures.get(id);
    if (failure === undefined) return undefined;
    const docs = { documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' };
    if (typeof failure === 'number')
      return [failure, { message: failure === 403 ? 'Resource not accessible by integration' : 'error', ...docs }, {}];
    if (failure.times <= 0) return undefined;
    failure.times--;
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    if (failure.kind === 'rate-limit')
      return [
        403,
        { message: 'API rate limit exceeded for installation ID 1.', ...docs },
        {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': reset,
        },
      ];
    if (failure.kind === 'secondary')
      return [
        403,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          ...docs,
        },
        { 'retry-after': '1' },
      ];
    return [
      failure.status ?? 502,
      { message: `Server Error${failure.echoAuthorization ? ` (request had authorization: ${authorization})` : ''}` },
      {},
    ];
  }

  private route(method: string, pathname: string) {
    for (const [id, operation] of Object.entries(description.operations)) {
      if (operation.method !== method) continue;
      const names: string[] = [];
      const pattern = new RegExp(
        `^${operation.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), name === 'path' ? '(.+)' : '([^/]+)'))}$`,
      );
      const found = pattern.exec(pathname);
      if (found)
        return {
          id,
          operation,
          params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1]!)])),
        };
    }
    return undefined;
  }

  private respond(
    id: string,
    params: Record<string, string>,
    url: URL,
    body: unknown,
  ): [number, unknown, Record<string, string>] {
    const base = `${url.protocol}//${url.host}`;
    switch (id) {
      case 'pulls/list-files': {
        const all = this.state.pullFiles.get(Number(params.pull_number)) ?? [];
        return this.page(
          all.map((f, i) => diffEntry(base, params, f.filename, f.status, i)),
          url,
          base,
        );
      }
      case 'repos/get-content': {
        const ref = url.searchParams.get('ref') ?? 'HEAD';
        const text = this.state.contents.get(`${ref}:${params.path}`);
        if (text === undefined)
          return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, {}];
        return [200, contentFile(base, params, params.path!, text), {}];
      }
      case 'issues/list-comments': {
        const comments = this.state.comments.get(Number(params.issue_number)) ?? [];
        return this.page(
          comments.map((c) => issueComment(base, params, Number(params.issue_number), c)),
          url,
          base,
        );
      }
      case 'issues/create-comment': {
        const comment: Comment = {
          id: this.nextId++,
          body: (body as { body: string }).body,
          login: 'github-actions[bot]',
          type: 'Bot',
        };
        const issue = Number(params.issue_number);
        this.state.comments.set(issue, [...(this.state.comments.get(issue) ?? []), comment]);
        return [201, issueComment(base, params, issue, comment), {}];
      }
      case 'issues/update-comment': {
        for (const [issue, comments] of this.state.comments) {
          const comment = comments.find((c) => c.id === Number(params.comment_id));
          if (comment) {
            comment.body = (body as { body: string }).body;
            return [200, issueComment(base, params, issue, comment), {}];
          }
        }
        return [404, { message: 'Not Found' }, {}];
      }
      case 'checks/create': {
        const request = body as Partial<CheckRun> & { name: string; head_sha: string };
        const run: CheckRun = {
          id: this.nextId++,
          name: request.name,
          head_sha: request.head_sha,
          status: request.status ?? 'queued',
          conclusion: request.conclusion ?? null,
          started_at: request.started_at ?? null,
          completed_at: request.completed_at ?? null,
          external_id: request.external_id ?? null,
          output: { title: null, summary: null, text: null, ...request.output },
          history: [],
        };
        run.history.push({ status: run.status, conclusion: run.conclusion });
        this.state.checkRuns.push(run);
        return [201, checkRun(base, params, run), {}];
      }
      case 'checks/list-for-ref': {
        const name = url.searchParams.get('check_name');
        const runs = this.state.checkRuns.filter((r) => r.head_sha === params.ref && (!name || r.name === name));
        return [200, { total_count: runs.length, check_runs: runs.map((r) => checkRun(base, params, r)) }, {}];
      }
      case 'checks/update': {
        const run = this.state.checkRuns.find((r) => r.id === Number(params.check_run_id));
        if (!run) return [404, { message: 'Not Found' }, {}];
        const request = body as Partial<CheckRun>;
        Object.assign(run, { ...request, output: { ...run.output, ...request.output } });
        if (request.conclusion) run.status = 'completed';
        run.history.push({ status: run.status, conclusion: run.conclusion });
        return [200, checkRun(base, params, run), {}];
      }
      default:
        this.violations.push(`the stand-in does not implement ${id}`);
        return [404, { message: 'Not Found' }, {}];
    }
  }

  /** GitHub's pagination: `per_page` items, a `Link` header to the next page. */
  private page(items: unknown[], url: URL, base: string): [number, unknown, Record<string, string>] {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.pathname + url.search, base);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return [200, slice, headers];
  }

  private send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(payload));
  }
}

const sha = (seed: string) => Buffer.from(seed).toString('hex').padEnd(40, '0').slice(0, 40);

function diffEntry(base: string, p: Record<string, string>, filename: string, status: string, index: number) {
  return {
    sha: sha(filename),
    filename,
    status,
    additions: 10 + index,
    deletions: 0,
    changes: 10 + index,
    blob_url: `${base}/${p.owner}/${p.repo}/blob/${sha('head')}/${filename}`,
    raw_url: `${base}/${p.owner}/${p.repo}/raw/${sha('head')}/${filename}`,
    contents_url: `${base}/repos/${p.owner}/${p.repo}/contents/${filename}`,
  };
}

function contentFile(base: string, p: Record<string, string>, file: string, text: string) {
  const url = `${base}/repos/${p.owner}/${p.repo}/contents/${file}`;
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text),
    name: path.posix.basename(file),
    path: file,
    content: Buffer.from(text).toString('base64'),
    sha: sha(text),
    url,
    git_url: `${base}/repos/${p.owner}/${p.repo}/git/blobs/${sha(text)}`,
    html_url: `${base}/${p.owner}/${p.repo}/blob/main/${file}`,
    download_url: `${base}/${p.owner}/${p.repo}/raw/main/${file}`,
    _links: {
      self: url,
      git: `${base}/repos/${p.owner}/${p.repo}/git/blobs/${sha(text)}`,
      html: `${base}/${p.owner}/${p.repo}/blob/main/${file}`,
    },
  };
}

function user(base: string, login: string, type: string) {
  const api = `${base}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: `${base}/avatars/${encodeURIComponent(login)}`,
    gravatar_id: '',
    url: api,
    html_url: `${base}/apps/github-actions`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
  };
}

function issueComment(base: string, p: Record<string, string>, issue: number, comment: Comment) {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${base}/repos/${p.owner}/${p.repo}/issues/comments/${comment.id}`,
    html_url: `${base}/${p.owner}/${p.repo}/pull/${issue}#issuecomment-${comment.id}`,
    issue_url: `${base}/repos/${p.owner}/${p.repo}/issues/${issue}`,
    body: comment.body,
    user: user(base, comment.login, comment.type),
    created_at: '2026-11-25T10:00:00Z',
    updated_at: '2026-11-25T10:00:00Z',
    author_association: 'NONE',
  };
}

function checkRun(base: string, p: Record<string, string>, run: CheckRun) {
  return {
    id: run.id,
    head_sha: run.head_sha,
    node_id: `CR_${run.id}`,
    external_id: run.external_id,
    url: `${base}/repos/${p.owner}/${p.repo}/check-runs/${run.id}`,
    html_url: `${base}/${p.owner}/${p.repo}/runs/${run.id}`,
    details_url: null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      ...run.output,
      annotations_count: 0,
      annotations_url: `${base}/repos/${p.owner}/${p.repo}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: 1 },
    app: null,
    pull_requests: [],
  };
}
