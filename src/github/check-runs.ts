import { renderLogTail, type LogTail } from '../cluster/pod-log.js';
import { checkStatusOf, type CheckStatus, type WorkflowEnd } from '../watch/check-status.js';
import { failureReason, isDeadlineExceeded } from '../watch/failure-reason.js';
import type { OperationState } from '../watch/operation-states.js';
import type { WorkflowObject } from '../watch/workflow-status.js';
import { createOnce, type GitHubClient, type Repository } from './octokit.js';

export interface CheckRunOptions {
  /** Check names are `<prefix>/<operation>`; the overall one is `<prefix>`. */
  prefix: string;
  /** The pull request's head commit (never the merge commit GITHUB_SHA points at). */
  headSha: string;
  /** Above this many operations, they are listed in the overall check instead of having their own. */
  maxCheckRuns: number;
  /** Argo UI base URL (e.g. https://argo.example.com), for links in the summaries. */
  argoUrl?: string;
  /** The overall check is updated at most this often while running (it changes constantly). */
  overallIntervalMs?: number;
  /** Applied to every title and summary sent (the Action removes its credentials). */
  redact?: (text: string) => string;
}

interface Sent {
  id: number;
  signature: string;
}

/**
 * One check run per operation plus one for the workflow, created `queued` when the workflow is
 * submitted and updated only when an operation's status changes, so a large workflow stays
 * within GitHub's rate limits.
 */
export class CheckRunReporter {
  private readonly sent = new Map<string, Sent>();
  /** Failed steps' log tails by operation, shown in its check from the update that brings them. */
  private readonly logTails = new Map<string, LogTail[]>();
  private lastOverall = 0;
  private lastOverallSummary = '';
  /** API calls made, for the rate budget. */
  calls = 0;

  constructor(
    private readonly client: GitHubClient,
    private readonly repository: Repository,
    private readonly options: CheckRunOptions,
  ) {}

  get individual(): boolean {
    return this.operationCount <= this.options.maxCheckRuns;
  }

  private operationCount = 0;

  private workflowUrl: string | undefined;
  /** `namespace/workflow`: with the check's name, an external id unique to this submission. */
  private workflowId = '';

  async start(workflow: WorkflowObject, states: readonly OperationState[]): Promise<void> {
    this.operationCount = states.length;
    const { name, namespace } = workflow.metadata;
    this.workflowId = `${namespace ?? 'default'}/${name ?? ''}`;
    if (this.options.argoUrl && name)
      this.workflowUrl = `${this.options.argoUrl.replace(/\/$/, '')}/workflows/${namespace ?? 'default'}/${name}`;
    const output = overallOutput(workflow, states, this.options);
    this.lastOverall = Date.now();
    this.lastOverallSummary = output.summary;
    await this.send(this.options.prefix, { status: 'queued' }, output, 'force');
    if (!this.individual) return;
    for (const state of states)
      await this.send(
        `${this.options.prefix}/${state.name}`,
        { status: 'queued' },
        operationOutput(state, workflow, this.options),
        'force',
      );
  }

  async update(
    workflow: WorkflowObject,
    states: readonly OperationState[],
    end?: WorkflowEnd,
    logTails: readonly LogTail[] = [],
  ): Promise<void> {
    for (const tail of logTails)
      this.logTails.set(tail.operation, [...(this.logTails.get(tail.operation) ?? []), tail]);
    if (this.individual) {
      for (const state of states)
        await this.send(
          `${this.options.prefix}/${state.name}`,
          checkStatusOf(state, end),
          operationOutput(state, workflow, this.options, this.logTails.get(state.name)),
          'on-change',
          state,
        );
    }
    // The overall check follows the workflow's status at once; its table of operations changes
    // all the time, so a change of the table alone is sent at most every overallIntervalMs.
    const status = workflowStatus(workflow, end);
    const output = overallOutput(workflow, states, this.options);
    const statusChanged = this.sent.get(this.options.prefix)?.signature !== JSON.stringify(status);
    const now = Date.now();
    const tableDue =
      output.summary !== this.lastOverallSummary &&
      now - this.lastOverall >= (this.options.overallIntervalMs ?? 30_000);
    if (statusChanged || tableDue) {
      this.lastOverall = now;
      this.lastOverallSummary = output.summary;
      await this.send(this.options.prefix, status, output, 'force');
    }
  }

  /** Creates or updates a check; `on-change` skips the call when its status is what was last sent. */
  private async send(
    name: string,
    status: CheckStatus,
    output: { title: string; summary: string },
    when: 'force' | 'on-change',
    state?: OperationState,
  ): Promise<void> {
    const signature = JSON.stringify(status);
    const previous = this.sent.get(name);
    if (previous && when === 'on-change' && previous.signature === signature) return;
    const times = {
      ...(status.status !== 'queued' && state?.startedAt ? { started_at: state.startedAt } : {}),
      ...(status.status === 'completed' ? { completed_at: state?.finishedAt ?? new Date().toISOString() } : {}),
    };
    // GitHub ignores details_url on checks made with GITHUB_TOKEN (the summary has the link too);
    // a GitHub App token gets the Argo UI behind the check's Details button.
    const details = this.workflowUrl ? { details_url: this.workflowUrl } : {};
    const redact = this.options.redact ?? ((text: string) => text);
    const body = {
      ...status,
      ...times,
      ...details,
      output: { title: redact(output.title), summary: redact(output.summary) },
    };
    this.calls++;
    if (!previous) {
      this.sent.set(name, { id: await this.create(name, body), signature });
    } else {
      await this.client.rest.checks.update({ ...this.repository, check_run_id: previous.id, ...body });
      this.sent.set(name, { id: previous.id, signature });
    }
  }

  /** Creates a check once (see createOnce), found again by its external id. */
  private async create(name: string, body: object): Promise<number> {
    const externalId = `${this.workflowId}/${name}`;
    const params = {
      ...this.repository,
      name,
      head_sha: this.options.headSha,
      external_id: externalId,
      ...body,
      request: { retries: 0 },
    };
    let attempts = 0;
    return createOnce(
      async () => {
        if (attempts++) this.calls++; // the caller counted the first
        return (await this.client.rest.checks.create(params)).data.id;
      },
      () => this.find(name, externalId).catch(() => undefined),
    );
  }

  private async find(name: string, externalId: string): Promise<number | undefined> {
    this.calls++;
    const { data } = await this.client.rest.checks.listForRef({
      ...this.repository,
      ref: this.options.headSha,
      check_name: name,
      filter: 'all',
      per_page: 100,
    });
    return data.check_runs.find((run) => run.external_id === externalId)?.id;
  }

  /** How many checks were created so far. */
  get created(): number {
    return this.sent.size;
  }

  /** The web page of an operation's check run, when it has one. */
  urlOf(operation: string, serverUrl: string): string | undefined {
    const id = this.sent.get(`${this.options.prefix}/${operation}`)?.id;
    return id === undefined
      ? undefined
      : `${serverUrl.replace(/\/$/, '')}/${this.repository.owner}/${this.repository.repo}/runs/${id}`;
  }

  /** The ids of the checks created, for the post step to conclude them after a cancellation. */
  ids(): Record<string, number> {
    return Object.fromEntries([...this.sent].map(([name, sent]) => [name, sent.id]));
  }
}

function workflowStatus(workflow: WorkflowObject, end?: WorkflowEnd): CheckStatus {
  const phase = workflow.status?.phase;
  if (end?.timedOut) return { status: 'completed', conclusion: 'timed_out' };
  if (end?.stopped) return { status: 'completed', conclusion: 'cancelled' };
  if (phase === 'Succeeded') return { status: 'completed', conclusion: 'success' };
  if (phase === 'Failed' || phase === 'Error')
    return { status: 'completed', conclusion: isDeadlineExceeded(failureReason(workflow)) ? 'timed_out' : 'failure' };
  return phase === 'Running' ? { status: 'in_progress' } : { status: 'queued' };
}

const SUMMARY_LIMIT = 65_000;

function link(workflow: WorkflowObject, options: CheckRunOptions): string {
  const { name, namespace } = workflow.metadata;
  return options.argoUrl && name
    ? `[Open in Argo](${options.argoUrl.replace(/\/$/, '')}/workflows/${namespace ?? 'default'}/${name})`
    : '';
}

function duration(state: { startedAt?: string | undefined; finishedAt?: string | undefined }): string {
  if (!state.startedAt) return '';
  const ms = new Date(state.finishedAt ?? Date.now()).getTime() - new Date(state.startedAt).getTime();
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

function operationOutput(
  state: OperationState,
  workflow: WorkflowObject,
  options: CheckRunOptions,
  logTails: readonly LogTail[] = [],
): { title: string; summary: string } {
  const lines = [
    `**${state.name}** in workflow \`${workflow.metadata.name}\`: ${state.phase ?? 'waiting'}`,
    '',
    '| | |',
    '|---|---|',
    `| phase | ${state.phase ?? 'waiting'} |`,
    ...(state.startedAt ? [`| started | ${state.startedAt} |`, `| duration | ${duration(state)} |`] : []),
    ...(state.retries ? [`| retries | ${state.retries} |`] : []),
    ...(state.items
      ? [
          `| items | ${Object.entries(state.items)
            .map(([phase, n]) => `${n} ${phase}`)
            .join(', ')} |`,
        ]
      : []),
    ...(state.message ? [`| message | ${state.message.replace(/\|/g, '\\|')} |`] : []),
    ...Object.entries(state.outputs).map(
      ([name, value]) => `| output \`${name}\` | ${value.replace(/\|/g, '\\|').slice(0, 500)} |`,
    ),
    '',
    ...logTails.flatMap((tail) => [renderLogTail(tail), '']),
    link(workflow, options),
  ];
  return { title: `${state.name}: ${state.phase ?? 'waiting'}`, summary: lines.join('\n').slice(0, SUMMARY_LIMIT) };
}

function overallOutput(
  workflow: WorkflowObject,
  states: readonly OperationState[],
  options: CheckRunOptions,
): { title: string; summary: string } {
  const phase = workflow.status?.phase ?? 'Pending';
  const rows = states.map(
    (s) => `| ${s.name} | ${s.phase ?? 'waiting'} | ${duration(s)} | ${(s.message ?? '').replace(/\|/g, '\\|')} |`,
  );
  const summary = [
    `Workflow \`${workflow.metadata.name}\` in \`${workflow.metadata.namespace ?? ''}\`: **${phase}**${workflow.status?.progress ? ` (${workflow.status.progress})` : ''}`,
    phase === 'Failed' || phase === 'Error'
      ? `\n${failureReason(workflow) ?? ''}`
      : workflow.status?.message
        ? `\n${workflow.status.message}`
        : '',
    link(workflow, options),
    '',
    '| operation | phase | duration | message |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
  return { title: `${workflow.metadata.name}: ${phase}`, summary: summary.slice(0, SUMMARY_LIMIT) };
}
