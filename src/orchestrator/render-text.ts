// Plain-text rendering of a Reply, for the terminal: answer first, then facts, table, sources, reasoning.
import type { ActionDecision, Reply } from './types.js';

/** "Already waiting for approval #2 (asked by alice@example.com at 2026-11-27 10:42 UTC)": a request that joined an equal pending one. */
export function waitingSentence(a: NonNullable<ActionDecision['approval']>): string {
  const at = a.requestedAt ? ` at ${a.requestedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  return `Already waiting for approval #${a.number}${a.requester ? ` (asked by ${a.requester}${at})` : ''}`;
}

function decisionLine(d: ActionDecision): string {
  if (d.outcome === 'deny') return `not allowed. ${d.reason}`;
  if (d.outcome === 'auto') return `done under the agent's autonomy. ${d.result ?? ''}`.trim();
  const waiting = d.approval?.waitingFor.join('; ') || 'approvers';
  if (d.approval?.attached) return `${waitingSentence(d.approval)}, which waits for ${waiting}. ${d.reason}`;
  return `approval #${d.approval?.number} requested, waiting for ${waiting}. ${d.reason}`;
}

/** Renders `reply` as terminal text. */
export function renderReplyText(reply: Reply): string {
  const out = [reply.headline];
  if (reply.facts.length > 0) out.push('', ...reply.facts.map((f) => `  ${f.label}: ${f.value}`));
  if (reply.table && reply.table.rows.length > 0) {
    const { columns, rows } = reply.table;
    const shown = rows.slice(0, 25);
    const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...shown.map((r) => (r[i] ?? '').length))));
    const line = (cells: string[]) => cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i]!)).join('  ').trimEnd();
    out.push('', `  ${line(columns)}`, ...shown.map((r) => `  ${line(r)}`));
    if (rows.length > shown.length) out.push(`  … ${rows.length - shown.length} more`);
  }
  if (reply.decisions && reply.decisions.length > 0) {
    out.push('', 'Governance:', ...reply.decisions.map((d) => `  - ${d.summary}: ${decisionLine(d)}`));
  } else if (reply.actions.length > 0) {
    out.push('', 'Proposed (needs a decision):', ...reply.actions.map((a) => `  - ${a.summary}`));
  }
  if (reply.degraded.length > 0) out.push('', ...reply.degraded.map((d) => `(partial: the ${d.agent} agent did not answer: ${d.reason})`));
  if (reply.sources.length > 0) out.push('', 'Sources:', ...reply.sources.slice(0, 10).map((s) => `  ${s.title} <${s.ref}>`));
  if (reply.rationale.length > 0) out.push('', 'Why:', ...reply.rationale.map((r) => `  ${r}`));
  if (reply.suggestions.length > 0) out.push('', `Try: ${reply.suggestions.map((s) => `"${s}"`).join(', ')}`);
  return out.join('\n');
}
