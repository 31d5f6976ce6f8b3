// The governance agent: what is waiting for the asking person's approval, where approval #N stands, and what the
// monitors found (open invoice exceptions among them). It reads through the governance MCP server, which answers
// as the person the turn is for, never as anyone the question names; it proposes nothing.
import type { GovernanceToolOutputs } from '../mcp-servers/governance/tools/index.js';
import { formatMoney } from '../src/domain/money.js';
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { type Agent, type AgentOutput, emptyOutput } from './agent.js';
import { type ToolClient, typed } from './tool-client.js';

const governanceTools = (tools: ToolClient) => typed<GovernanceToolOutputs>(tools);
type ApprovalView = GovernanceToolOutputs['list_approvals']['approvals'][number];

const amountOf = (a: ApprovalView) => (a.amount && a.currency ? formatMoney(a.amount, a.currency) : '-');
const waitingOn = (a: ApprovalView) => (a.waiting_on ? `${a.waiting_on.name ?? `level ${a.waiting_on.level}`} (${a.waiting_on.roles.join(', ')})` : '-');

async function approvals(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const scope = plan.reading.ask?.approvalScope ?? 'all';
  const status = plan.reading.ask?.approvalStatus;
  const r = await governanceTools(tools).call('list_approvals', { scope, ...(status ? { status } : {}), limit: 25 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const list = r.data.approvals;
  const what =
    scope === 'waiting_for_me' ? 'waiting for your decision' : scope === 'requested_by_me' ? `that you requested${status ? ` (${status})` : ''}` : status ?? 'in any status';
  const named = list.slice(0, 10).map((a) => `#${a.number} ${a.summary} (${amountOf(a)})`).join('; ');
  const none =
    scope === 'waiting_for_me'
      ? 'Nothing is waiting for your decision.'
      : scope === 'requested_by_me'
        ? `You have no${status ? ` ${status}` : ''} approval requests.`
        : `There are no${status ? ` ${status}` : ''} approvals.`;
  const out: AgentOutput = {
    ...emptyOutput(`Listed approvals ${what}, as ${r.data.caller.email ?? r.data.caller.kind} may see them.`),
    headline:
      list.length === 0
        ? none
        : `${list.length} approval${list.length === 1 ? '' : 's'} ${what}: ${named}${list.length > 10 ? '; …' : ''}.`,
    data: { approvals: r.data },
  };
  if (list.length > 0) {
    out.table = {
      columns: ['#', 'Status', 'Request', 'Amount', 'Requester', 'Waiting on'],
      rows: list.map((a) => [String(a.number), a.status, a.summary, amountOf(a), a.requester, waitingOn(a)]),
    };
  }
  return out;
}

async function approvalStatus(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const n = plan.reading.ask?.approvalNumber;
  if (!n) return { ...emptyOutput('No approval number was given.'), headline: 'Which approval? Give its number, e.g. "status of approval #12".' };
  const r = await governanceTools(tools).call('approval_status', { approval: n });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const a = r.data.approval;
  return {
    ...emptyOutput(`Read approval #${a.number} and its decisions.`),
    headline: r.text,
    data: { approval: r.data },
    facts: [
      { label: 'Status', value: a.status },
      ...(a.amount && a.currency ? [{ label: 'Amount', value: formatMoney(a.amount, a.currency) }] : []),
      { label: 'Requested by', value: a.requester },
    ],
    ...(a.decisions.length > 0
      ? { table: { columns: ['Level', 'Who', 'Decision', 'Reason', 'When'], rows: a.decisions.map((d) => [String(d.level), d.user, d.decision, d.reason ?? '', d.at.slice(0, 16).replace('T', ' ')]) } }
      : {}),
  };
}

const MONITOR_WORDS: Record<string, string> = {
  'three-way-match': 'open invoice exceptions',
  'spend-anomalies': 'open spend anomalies',
  'renewal-deadlines': 'open renewal and notice deadlines',
  'supplier-risk': 'open supplier risk findings',
};

async function findings(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const monitor = plan.reading.ask?.monitor;
  const r = await governanceTools(tools).call('list_findings', { status: 'open', ...(monitor ? { monitor } : {}), limit: 25 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const list = r.data.findings;
  const what = monitor ? (MONITOR_WORDS[monitor] ?? `open ${monitor} findings`) : 'open monitor findings';
  const stake = (f: (typeof list)[number]) => (f.amount && f.currency ? formatMoney(f.amount, f.currency) : '-');
  const out: AgentOutput = {
    ...emptyOutput(`Listed the ${what}, most recently seen first. Findings are leads for a person to review.`),
    headline:
      list.length === 0
        ? `There are no ${what}.`
        : `${list.length}${r.data.truncated ? '+' : ''} ${what}: ${list.slice(0, 8).map((f) => `${f.title} (${stake(f)})`).join('; ')}${list.length > 8 ? '; …' : ''}.`,
    data: { findings: r.data },
  };
  if (list.length > 0) {
    out.table = { columns: ['Severity', 'Monitor', 'Finding', 'At stake', 'What to do'], rows: list.map((f) => [f.severity, f.monitor, f.title, stake(f), f.recommendation]) };
  }
  return out;
}

export const governanceAgent: Agent = {
  name: 'governance',
  server: 'governance',
  instructions:
    'You answer where governance stands for the person asking: approvals waiting for their decision or requested by them, the status of an approval by its number, and what the monitors found (invoice exceptions, spend anomalies, renewal deadlines, supplier risk). You only read; deciding happens on the approval cards.',
  handles: {
    approvals_list: approvals,
    approval_status: approvalStatus,
    findings_list: findings,
  },
  actsAsCaller: true,
};
