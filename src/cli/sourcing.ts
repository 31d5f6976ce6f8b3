// `qm sourcing create|list|show|issue|close|award|cancel|rfx`: sourcing events from the command line. Creating a draft needs
// no approval; issuing the RFx and awarding go through governance like every other action, as the person named by
// --as (the local operator otherwise), and every change is in the ledger.
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { listSourcingEvents, requireSourcingEvent, type SourcingStatusValue } from '../db/sourcing.js';
import { SOURCING_STATUSES } from '../db/schema.js';
import { isCurrencyCode, isDecimal } from '../domain/money.js';
import { AppError } from '../errors.js';
import { type App, createApp } from '../runtime.js';
import { type Actor, createDraftEvent, eventRef, moveEvent } from '../sourcing/events.js';
import { loadSourcingPolicy } from '../sourcing/policy.js';
import { eventDetail, renderEventText } from '../sourcing/detail.js';
import { proposeAward, proposeIssue } from '../sourcing/proposals.js';
import { rfxDocx, rfxMarkdown } from '../sourcing/rfx.js';
import type { NewEventLine } from '../db/sourcing.js';
import type { ProposedAction } from '../domain/proposed-action.js';
import type { SubmitOutcome } from '../approvals/submit.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function actorOf(as: string | undefined): Actor {
  if (as !== undefined && !EMAIL.test(as)) throw new AppError('sourcing:usage', `--as expects an email address, got "${as}"`);
  return as ? { type: 'user', id: as.toLowerCase() } : { type: 'user', id: `operator (${userInfo().username} on the command line)` };
}

/** "CLN-01;Daily office clean, site A;12;month" → a line (item code and unit may be empty). */
function parseLine(spec: string, lineNo: number): NewEventLine {
  const [itemCode, description, quantity, unit] = spec.split(';').map((s) => s.trim());
  if (!description) throw new AppError('sourcing:usage', `--line "${spec}": expected "item code;description;quantity;unit" with a description`);
  if (quantity && !isDecimal(quantity)) throw new AppError('sourcing:usage', `--line "${spec}": the quantity "${quantity}" is not a number`);
  return { lineNo, itemCode: itemCode || null, description, quantity: quantity || null, unit: unit || null };
}

async function withApp<T>(purpose: string, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp(loadConfig(), { purpose, quiet: true });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const print = (json: boolean | undefined, value: unknown, text: string) => process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);

/** Puts an action through governance as `actor` and prints the outcome; a refusal exits 1. */
async function govern(app: App, action: ProposedAction, actor: Actor, json: boolean | undefined, setExit: (code: number) => void): Promise<SubmitOutcome> {
  const outcome = await (await app.approvals()).submit({ action, requester: actor.id, planner: 'cli' });
  print(json, outcome, `${outcome.summary}${outcome.approval ? ` (approval #${outcome.approval.number}, waiting for ${outcome.approval.waitingFor.join(', ')})` : ''}`);
  setExit(outcome.outcome === 'deny' ? 1 : 0);
  return outcome;
}

/** Adds the sourcing command. */
export function registerSourcing(program: Command, setExit: (code: number) => void): void {
  const sourcing = program.command('sourcing').description('Sourcing events (RFQ/tender): create, list, show, issue the RFx, close bids, award');

  sourcing
    .command('create')
    .description('Create a sourcing event as a draft (no approval needed until the RFx is issued)')
    .argument('<title>', 'what is being sourced, e.g. "Office cleaning for three sites"')
    .option('--category <code>', 'UNSPSC category code (or your own), e.g. 76111501')
    .option('--description <text>', 'scope in a sentence or two')
    .option('--budget <amount>', 'estimated value, e.g. 120000')
    .option('--currency <code>', 'currency of the budget and bids (default: the configured one)')
    .option('--needed-from <date>', 'when the goods or services are needed from (YYYY-MM-DD)')
    .option('--deadline <date>', 'when bids close (YYYY-MM-DD; default: set when the RFx is issued)')
    .option('--line <spec...>', 'a line: "item code;description;quantity;unit" (repeat for each line)')
    .option('--as <email>', 'who requests it (default: the local operator)')
    .option('--json', 'print {"id","number","title","status"}')
    .action(async (title: string, flags: { category?: string; description?: string; budget?: string; currency?: string; neededFrom?: string; deadline?: string; line?: string[]; as?: string; json?: boolean }) => {
      const actor = actorOf(flags.as);
      if (flags.budget !== undefined && !isDecimal(flags.budget.replace(/,/g, ''))) throw new AppError('sourcing:usage', `--budget expects an amount such as 120000, got "${flags.budget}"`);
      for (const [name, d] of [['--needed-from', flags.neededFrom], ['--deadline', flags.deadline]] as const) {
        if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new AppError('sourcing:usage', `${name} expects a date as YYYY-MM-DD, got "${d}"`);
      }
      await withApp('qm sourcing create', async (app) => {
        const currency = (flags.currency ?? app.config.defaultCurrency ?? 'GBP').toUpperCase();
        if (!isCurrencyCode(currency)) throw new AppError('sourcing:usage', `--currency expects a three-letter code such as GBP, got "${flags.currency}"`);
        const policy = await loadSourcingPolicy(app.config.policyDir);
        const e = await createDraftEvent(
          app.database,
          {
            title,
            description: flags.description ?? null,
            categoryCode: flags.category ?? null,
            estimatedValue: flags.budget?.replace(/,/g, '') ?? null,
            currency,
            requesterEmail: flags.as?.toLowerCase() ?? null,
            neededFrom: flags.neededFrom ?? null,
            deadline: flags.deadline ? new Date(`${flags.deadline}T17:00:00Z`) : null,
            lines: (flags.line ?? []).map((l, i) => parseLine(l, i + 1)),
            channel: 'cli',
          },
          policy,
          actor,
        );
        print(flags.json, eventRef(e), `Created sourcing event ${e.number} "${e.title}" as a draft (id ${e.id}). Issue its RFx with: qm sourcing issue ${e.number}`);
      });
      setExit(0);
    });

  sourcing
    .command('list')
    .description('List sourcing events, newest first')
    .option('--status <status>', SOURCING_STATUSES.join('|'))
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print {"events":[…]}')
    .action(async (flags: { status?: string; limit: string; json?: boolean }) => {
      if (flags.status && !(SOURCING_STATUSES as readonly string[]).includes(flags.status)) {
        throw new AppError('sourcing:usage', `--status expects one of ${SOURCING_STATUSES.join(', ')}`);
      }
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppError('sourcing:usage', '--limit expects a whole number from 1 to 1000');
      await withApp('qm sourcing list', async (app) => {
        const rows = await listSourcingEvents(app.database, { ...(flags.status ? { status: flags.status as SourcingStatusValue } : {}), limit });
        const events = rows.map((e) => ({ ...eventRef(e), categoryCode: e.categoryCode, estimatedValue: e.estimatedValue, currency: e.currency, requester: e.requesterEmail, deadline: e.deadline?.toISOString() ?? null, createdAt: e.createdAt.toISOString() }));
        const text = events.length === 0 ? 'No sourcing events.' : events.map((e) => `${String(e.number).padStart(4)}  ${e.status.padEnd(14)}  ${e.title}`).join('\n');
        print(flags.json, { events }, text);
      });
      setExit(0);
    });

  sourcing
    .command('show')
    .description('Show one sourcing event: lines, criteria, status, bids received')
    .argument('<event>', 'event number or id')
    .option('--json', 'print the event as JSON')
    .action(async (ref: string, flags: { json?: boolean }) => {
      await withApp('qm sourcing show', async (app) => {
        const detail = await eventDetail(app.database, await requireSourcingEvent(app.database, ref));
        print(flags.json, detail, renderEventText(detail));
      });
      setExit(0);
    });

  sourcing
    .command('issue')
    .description('Ask to issue the RFx (start_sourcing_event): governance decides who must approve')
    .argument('<event>', 'event number or id')
    .option('--as <email>', 'who asks (default: the local operator)')
    .option('--json', 'print the governance outcome')
    .action(async (ref: string, flags: { as?: string; json?: boolean }) => {
      const actor = actorOf(flags.as);
      await withApp('qm sourcing issue', async (app) => {
        const policy = await loadSourcingPolicy(app.config.policyDir);
        await govern(app, proposeIssue(await requireSourcingEvent(app.database, ref), policy), actor, flags.json, setExit);
      });
    });

  sourcing
    .command('close')
    .description('Close bidding on an event: bids_open → evaluating')
    .argument('<event>', 'event number or id')
    .option('--as <email>', 'who closes it (default: the local operator)')
    .option('--json', 'print {"id","number","title","status"}')
    .action(async (ref: string, flags: { as?: string; json?: boolean }) => {
      const actor = actorOf(flags.as);
      await withApp('qm sourcing close', async (app) => {
        const e = await app.database.transaction((tx) => moveEvent(tx, ref, 'evaluating', { actor, cause: 'Bidding closed from the command line.' }));
        print(flags.json, eventRef(e), `Event ${e.number} is closed for bids and being evaluated.`);
      });
      setExit(0);
    });

  sourcing
    .command('award')
    .description('Ask to award an event by a scenario (award_contract): governance decides who must approve')
    .argument('<event>', 'event number or id')
    .option('--scenario <kind>', 'single_lowest | split_lowest | split_capped | risk_adjusted_split | risk_adjusted_capped', 'split_lowest')
    .option('--max-share <fraction>', 'largest share of the value one supplier may receive, e.g. 0.4')
    .option('--exclude <bidders...>', 'bidders to leave out')
    .option('--as <email>', 'who asks (default: the local operator)')
    .option('--json', 'print the governance outcome')
    .action(async (ref: string, flags: { scenario: string; maxShare?: string; exclude?: string[]; as?: string; json?: boolean }) => {
      const actor = actorOf(flags.as);
      await withApp('qm sourcing award', async (app) => {
        const policy = await loadSourcingPolicy(app.config.policyDir);
        const action = await proposeAward(app.database, policy, ref, { kind: flags.scenario, ...(flags.maxShare ? { maxShare: flags.maxShare } : {}), exclude: flags.exclude ?? [] }, app.now());
        // Filed for approval, the event shows it waits for the award (award_contract's `awaiting`, as from chat).
        await govern(app, action, actor, flags.json, setExit);
      });
    });

  sourcing
    .command('cancel')
    .description('Cancel an event that is not yet awarded')
    .argument('<event>', 'event number or id')
    .requiredOption('--reason <text>', 'why, for the ledger')
    .option('--as <email>', 'who cancels it (default: the local operator)')
    .option('--json', 'print {"id","number","title","status"}')
    .action(async (ref: string, flags: { reason: string; as?: string; json?: boolean }) => {
      const actor = actorOf(flags.as);
      await withApp('qm sourcing cancel', async (app) => {
        const e = await app.database.transaction((tx) => moveEvent(tx, ref, 'cancelled', { actor, cause: `Cancelled: ${flags.reason}` }));
        print(flags.json, eventRef(e), `Event ${e.number} is cancelled.`);
      });
      setExit(0);
    });

  sourcing
    .command('rfx')
    .description('Write the RFx document of an event (Markdown to stdout, or --out FILE.md|FILE.docx)')
    .argument('<event>', 'event number or id')
    .option('--out <file>', 'write to this file; .docx writes a Word document')
    .action(async (ref: string, flags: { out?: string }) => {
      await withApp('qm sourcing rfx', async (app) => {
        const policy = await loadSourcingPolicy(app.config.policyDir);
        const detail = await eventDetail(app.database, await requireSourcingEvent(app.database, ref));
        if (flags.out?.toLowerCase().endsWith('.docx')) await writeFile(flags.out, await rfxDocx(detail, policy, app.now()));
        else if (flags.out) await writeFile(flags.out, rfxMarkdown(detail, policy, app.now()));
        else process.stdout.write(rfxMarkdown(detail, policy, app.now()));
        if (flags.out) process.stderr.write(`Wrote ${flags.out}\n`);
      });
      setExit(0);
    });
}
