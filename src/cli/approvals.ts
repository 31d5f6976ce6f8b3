// `qm approvals list|show|approve|reject|changes` and `qm actions reverse`: operators' (and tests') way to the
// same approval state machine the chat cards use.
import type { Command } from 'commander';
import { approvalAmount, approvalCard } from '../approvals/card.js';
import type { DecisionKind } from '../approvals/types.js';
import type { Approval } from '../approvals/types.js';
import { AppError } from '../errors.js';
import { openApprovalsAccess } from './approvals-access.js';
import { createApp } from '../runtime.js';
import { loadConfig } from '../config.js';

const STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'];

function renderCard(a: Approval): string {
  const c = approvalCard(a);
  return [
    c.title,
    `  ${c.ask}`,
    ...c.fields.map((f) => `  ${f.label}: ${f.value}`),
    ...(c.waitingFor.length ? [`  Waiting for: ${c.waitingFor.join('; ')}`] : []),
    ...(c.evidence.length ? ['  Evidence:', ...c.evidence.map((e) => `    ${e.source}: ${e.text}`)] : []),
    `  Policy: ${c.policy}`,
    ...(c.history.length ? ['  Decisions:', ...c.history.map((h) => `    ${h}`)] : []),
    ...(c.outcome ? [`  Outcome: ${c.outcome}`] : []),
    `  Id: ${a.id}`,
  ].join('\n');
}

/** Adds the approvals and actions commands. */
export function registerApprovals(program: Command, setExit: (code: number) => void): void {
  const approvals = program.command('approvals').description('List, inspect and decide approval requests');

  approvals
    .command('list')
    .description('Approval requests, newest first')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--as <email>', 'only pending requests this user can decide now')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (flags: { status?: string; as?: string; limit: string; json?: boolean }) => {
      if (flags.status && !STATUSES.includes(flags.status)) throw new AppError('cli:usage', `--status must be one of ${STATUSES.join(', ')}`);
      const access = await openApprovalsAccess('qm approvals');
      try {
        const list = await access.list({ ...(flags.status ? { status: flags.status } : {}), ...(flags.as ? { approvableBy: flags.as } : {}), limit: Number(flags.limit) || 50 });
        if (flags.json) process.stdout.write(`${JSON.stringify(list.map((a) => ({ ...a, card: approvalCard(a) })))}\n`);
        else if (list.length === 0) process.stdout.write('No approval requests.\n');
        else
          process.stdout.write(
            `${list
              .map((a) => {
                const c = approvalCard(a);
                const amount = approvalAmount(a);
                return `#${a.number}  ${a.status.padEnd(8)}  ${a.actionKind}${amount ? ` ${amount}` : ''}  ${a.summary}${c.waitingFor.length ? `  [waiting for ${c.waitingFor.join('; ')}]` : ''}`;
              })
              .join('\n')}\n`,
          );
        setExit(0);
      } finally {
        await access.close();
      }
    });

  approvals
    .command('show')
    .description('One approval request with its route, evidence and decisions')
    .argument('<id>', 'number (#12 or 12) or id')
    .option('--json', 'print JSON')
    .action(async (ref: string, flags: { json?: boolean }) => {
      const access = await openApprovalsAccess('qm approvals');
      try {
        const a = await access.get(ref);
        if (!a) throw new AppError('approvals:not-found', `No approval ${ref}.`);
        process.stdout.write(flags.json ? `${JSON.stringify({ ...a, card: approvalCard(a) })}\n` : `${renderCard(a)}\n`);
        setExit(0);
      } finally {
        await access.close();
      }
    });

  const decideCommand = (name: string, decision: DecisionKind, description: string) =>
    approvals
      .command(name)
      .description(description)
      .argument('<id>', 'number (#12 or 12) or id')
      .requiredOption('--as <email>', 'the approver deciding')
      .option('--reason <text>', decision === 'approve' ? 'why (optional)' : 'why (required)')
      .option('--json', 'print JSON')
      .action(async (ref: string, flags: { as: string; reason?: string; json?: boolean }) => {
        const access = await openApprovalsAccess('qm approvals');
        try {
          const r = await access.decide({ approval: ref, user: flags.as, decision, ...(flags.reason ? { reason: flags.reason } : {}), channel: 'cli' });
          if (flags.json) {
            process.stdout.write(
              `${JSON.stringify({ status: r.status, message: r.message, ...(r.approval ? { approval: { id: r.approval.id, number: r.approval.number, status: r.approval.status } } : {}), ...(r.execution ? { execution: r.execution } : {}) })}\n`,
            );
          } else {
            const lines = [r.message];
            if (r.status === 'recorded' && r.execution) lines.push(r.execution.status === 'done' ? r.execution.summary : `The action did not run: ${r.execution.summary}`);
            (r.status === 'recorded' ? process.stdout : process.stderr).write(`${lines.join('\n')}\n`);
          }
          setExit(r.status === 'recorded' ? 0 : 1);
        } finally {
          await access.close();
        }
      });
  decideCommand('approve', 'approve', 'Approve at the level you can decide');
  decideCommand('reject', 'reject', 'Reject (needs --reason)');
  decideCommand('changes', 'request_changes', 'Send back for changes (needs --reason)');

  program
    .command('actions')
    .description('Executed actions')
    .command('reverse')
    .description('Undo an executed action (narrows the proposing agent’s autonomy)')
    .argument('<id>', 'action id')
    .requiredOption('--as <email>', 'who reverses it')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, flags: { as: string; reason: string }) => {
      if (!/^\d+$/.test(id)) throw new AppError('cli:usage', 'The action id is a number.');
      const rt = await createApp(loadConfig(), { purpose: 'qm actions', quiet: true });
      try {
        const r = await (await rt.approvals()).reverse(Number(id), flags.as, flags.reason);
        (r.ok ? process.stdout : process.stderr).write(`${r.message}\n`);
        setExit(r.ok ? 0 : 1);
      } finally {
        await rt.close();
      }
    });
}
