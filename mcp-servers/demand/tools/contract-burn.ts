// contract_burn: whether cumulative spend against a contract passes its value before the contract ends, and
// when: paid and committed so far (exact), and the supplier's monthly spend forecast to the end date.
import { z } from 'zod';
import { burnContract, burnContracts } from '../../../src/db/queries/contract-burn.js';
import { resolveSupplier } from '../../../src/db/queries/supplier-lookup.js';
import { fixDecimal, formatMoney, minorUnits, roundDecimal } from '../../../src/domain/money.js';
import { type ContractBurn, contractBurn } from '../../../src/forecast/contract-burn.js';
import { METHOD_LABELS, type MethodName } from '../../../src/forecast/methods.js';
import { approxMoney, decimalOf } from '../../../src/forecast/money-text.js';
import { monthLabel } from '../../../src/domain/months.js';
import { contractName, resolveContract } from '../../contract/lookup.js';
import type { McpDeps, ToolRegistrar } from '../../shared/deps.js';
import { guarded, toolError, toolResult } from '../../shared/result.js';
import { READ_ONLY } from '../../spend/tools/common.js';

const inputSchema = {
  contract: z
    .string()
    .min(1)
    .max(200, 'contract must be at most 200 characters')
    .describe('The contract: its number (e.g. "C-2024-002"), its id, or the supplier whose one active contract it is.'),
};

const amount = z.string().describe('Exact decimal in the contract currency.');

const outputSchema = z.object({
  contract: z.object({
    id: z.string(),
    number: z.string().nullable(),
    title: z.string(),
    supplier: z.string().nullable(),
    start_date: z.string().nullable(),
    end_date: z.string(),
    value: amount,
    currency: z.string(),
    notice_period_days: z.number().int().nullable(),
    notice_deadline: z.string().nullable(),
  }),
  spent: amount.describe('Paid to the supplier in the contract currency since the contract started.'),
  committed: amount.describe('Open purchase orders against the contract not yet paid.'),
  committed_orders: z.number().int(),
  remaining: amount.describe('Value minus spent minus committed (negative once passed).'),
  status: z.enum(['exceeded', 'runs_out_before_end', 'may_run_out_before_end', 'within_value']),
  runs_out: z.string().nullable().describe('YYYY-MM the projected running total first passes the value; null if not before the end.'),
  runs_out_high: z.string().nullable().describe('The same at the high end of the 80% range: the earliest plausible month.'),
  method: z.string().describe('Forecasting method of the monthly spend (chosen by back-test), "stopped" or "none".'),
  projection: z.array(z.object({ period: z.string(), spend: amount, cumulative: amount, cumulative_hi80: amount })),
  notes: z.array(z.string()),
});

export type ContractBurnOutput = z.infer<typeof outputSchema>;

/** The contract `ref` names: by number or id, else the one active contract with a value of the supplier it names. */
async function findContract(deps: McpDeps, ref: string, today: string) {
  const r = await resolveContract(deps.database, ref);
  if (r.ok) return { ok: true as const, contract: await burnContract(deps.database, r.value.id) };
  const s = await resolveSupplier(deps.database, ref);
  if (s.ok) {
    const active = await burnContracts(deps.database, today, s.supplier.id);
    if (active.length === 1) return { ok: true as const, contract: active[0] };
    if (active.length > 1) {
      return { ok: false as const, message: `${s.supplier.name} has ${active.length} active contracts with a value: ${active.map((c) => `${contractName(c)} [${c.contractNumber ?? c.id}]`).join('; ')}. Pass one of these numbers.` };
    }
    return { ok: false as const, message: `${s.supplier.name} has no active contract with a value and an end date after ${today}.` };
  }
  return { ok: false as const, message: r.message };
}

function statusOf(b: ContractBurn): ContractBurnOutput['status'] {
  if (b.projection.exceeded) return 'exceeded';
  if (b.projection.runsOut) return 'runs_out_before_end';
  if (b.projection.runsOutHigh) return 'may_run_out_before_end';
  return 'within_value';
}

/** The answer first: will it run out, when, against what value. */
export function burnHeadline(out: ContractBurnOutput): string {
  const c = out.contract;
  const name = `${c.number ?? `"${c.title}"`}${c.supplier ? ` with ${c.supplier}` : ''}`;
  const money = (v: string) => formatMoney(v, c.currency);
  const paid = `${money(out.spent)} paid${Number(out.committed) !== 0 ? ` and ${money(out.committed)} on open orders` : ''} against a value of ${money(c.value)}`;
  switch (out.status) {
    case 'exceeded':
      return `Yes: ${name} has already passed its value: ${paid} (${money(out.remaining.replace(/^-/, ''))} over). It ends on ${c.end_date}.`;
    case 'runs_out_before_end':
      return `Yes, likely in ${monthLabel(out.runs_out!)}${out.runs_out_high && out.runs_out_high < out.runs_out! ? ` (possibly as early as ${monthLabel(out.runs_out_high)})` : ''}, before ${name} ends on ${c.end_date}: ${paid}.`;
    case 'may_run_out_before_end':
      return `Possibly: at the forecast rate ${name} lasts to its end on ${c.end_date}, but at the high end of the range it runs out in ${monthLabel(out.runs_out_high!)}: ${paid}.`;
    case 'within_value':
      return `No: at the forecast rate ${name} stays within its value to its end on ${c.end_date}: ${paid}.`;
  }
}

/** Registers `contract_burn`. */
export const registerContractBurnTool: ToolRegistrar = (server, deps) => {
  server.registerTool(
    'contract_burn',
    {
      title: 'Contract burn',
      description:
        "Projects when cumulative spend against a contract passes its value: paid to its supplier in its currency since it started and open purchase orders referencing it (exact), plus the supplier's monthly spend forecast (method chosen by back-test) to the contract's end. Answers whether it runs out before it ends, in which month, and the earliest plausible month (80% high).",
      inputSchema,
      outputSchema,
      annotations: READ_ONLY,
    },
    guarded('contract_burn', deps.log, async (args) => {
      const today = deps.now().toISOString().slice(0, 10);
      const found = await findContract(deps, args.contract, today);
      if (!found.ok) return toolError(found.message);
      const c = found.contract;
      if (!c) return toolError(`No contract "${args.contract}".`);
      if (!c.value || !c.currency || !c.endDate) {
        return toolError(`${contractName(c)} has no ${!c.value ? 'value' : !c.currency ? 'currency' : 'end date'} recorded, so its burn cannot be projected.`);
      }
      if (c.endDate < today) return toolError(`${contractName(c)} ended on ${c.endDate}; there is nothing left to project.`);
      const b = await contractBurn(deps.database, c, today);
      const cur = c.currency;
      const exact = (v: string) => fixDecimal(roundDecimal(v, minorUnits(cur)), minorUnits(cur));
      const notes: string[] = [];
      if (b.projection.truncated) notes.push(`The contract ends more than 24 months ahead; the projection stops at ${monthLabel(b.projection.points.at(-1)!.month)}.`);
      if (b.projection.method === 'none') notes.push('No spend with the supplier since the contract started: nothing to project beyond what is committed.');
      if (b.projection.method === 'stopped') notes.push('No spend with the supplier in the last six months: no further spend is projected.');
      const out: ContractBurnOutput = {
        contract: {
          id: c.id,
          number: c.contractNumber,
          title: c.title,
          supplier: c.supplierName,
          start_date: c.startDate,
          end_date: c.endDate,
          value: exact(c.value),
          currency: cur,
          notice_period_days: c.noticePeriodDays,
          notice_deadline: b.noticeDeadline,
        },
        spent: exact(b.spent),
        committed: exact(b.committed),
        committed_orders: b.committedOrders,
        remaining: exact(b.remaining),
        status: statusOf(b),
        runs_out: b.projection.runsOut,
        runs_out_high: b.projection.runsOutHigh,
        method: b.projection.method,
        projection: b.projection.points.map((p) => ({
          period: p.month,
          spend: decimalOf(p.spend, cur),
          cumulative: decimalOf(p.cumulative, cur),
          cumulative_hi80: decimalOf(p.cumulativeHi, cur),
        })),
        notes,
      };
      const how =
        b.projection.method in METHOD_LABELS
          ? `Monthly spend projected by ${METHOD_LABELS[b.projection.method as MethodName]} (chosen by back-test), about ${approxMoney(b.projection.points.reduce((s, p) => s + p.spend, 0) / Math.max(1, b.projection.points.length), cur)} a month.`
          : '';
      return toolResult([burnHeadline(out), how, ...notes].filter((x) => x !== '').join('\n'), out);
    }),
  );
};
