// One spend row, validated: a hand-written check for the common valid row, and the zod schema for the rest.
// Both accept exactly the same rows and produce the same values (test/unit/spend-row.test.ts compares them);
// zod runs only for a row the quick check refuses, so a rejected row's reason is always zod's.
import { z } from 'zod';
import { amount, checkedAmount, currency, isoDate, optional, text, validate } from '../fields.js';
import type { FieldValues } from '../records.js';
import { type DateOrder, parseCurrency, parseDate } from '../values.js';

export type SpendRow = {
  date: string;
  supplier: string;
  amount: { amount: string; currency?: string };
  currency?: string;
  category?: string;
  department?: string;
  cost_centre?: string;
  description?: string;
  invoice_number?: string;
  po_number?: string;
  external_id?: string;
};

const SUPPLIER_MAX = 500;
/** Longest text each optional cell may hold. */
const CELL_MAX = {
  category: 1000,
  department: 1000,
  cost_centre: 1000,
  description: 4000,
  invoice_number: 200,
  po_number: 200,
  external_id: 200,
} as const;

const cell = (max: number) => optional(z.string().trim().max(max, `longer than ${max} characters`));

/** The zod schema of a spend row: the reference for what is valid and the source of every rejection reason. */
export function spendRowSchema(dateOrder: DateOrder) {
  return z.object({
    date: isoDate(dateOrder),
    supplier: text('missing supplier', SUPPLIER_MAX),
    amount: amount(),
    currency: optional(currency()),
    category: cell(CELL_MAX.category),
    department: cell(CELL_MAX.department),
    cost_centre: cell(CELL_MAX.cost_centre),
    description: cell(CELL_MAX.description),
    invoice_number: cell(CELL_MAX.invoice_number),
    po_number: cell(CELL_MAX.po_number),
    external_id: cell(CELL_MAX.external_id),
  }) satisfies z.ZodType<SpendRow, FieldValues>;
}

// Whether a cell needs trimming: records hold trimmed cells, but a caller may pass raw ones.
const untrimmed = (s: string) => s.trim() !== s;

/**
 * The row if it is valid and plain (every cell already trimmed, within its length), else undefined. Never
 * refuses a row for a reason zod would not give, and never accepts one zod refuses.
 */
function quickSpendRow(v: FieldValues, dateOrder: DateOrder): SpendRow | undefined {
  const { date, supplier, amount: amountText, currency: currencyText } = v;
  if (date === undefined || supplier === undefined || amountText === undefined) return undefined;
  if (supplier.length > SUPPLIER_MAX || untrimmed(supplier) || untrimmed(date)) return undefined;
  for (const field of Object.keys(CELL_MAX) as (keyof typeof CELL_MAX)[]) {
    const c = v[field];
    if (c !== undefined && (c.length > CELL_MAX[field] || untrimmed(c))) return undefined;
  }
  const d = parseDate(date, dateOrder);
  if (!d.ok) return undefined;
  const a = checkedAmount(amountText);
  if (!a.ok) return undefined;
  let cur: string | undefined;
  if (currencyText !== undefined) {
    const c = parseCurrency(currencyText);
    if (!c.ok) return undefined;
    cur = c.value;
  }
  return {
    date: d.value,
    supplier,
    amount: a.value,
    currency: cur,
    category: v.category,
    department: v.department,
    cost_centre: v.cost_centre,
    description: v.description,
    invoice_number: v.invoice_number,
    po_number: v.po_number,
    external_id: v.external_id,
  };
}

export type SpendRowCheck = (values: FieldValues) => { ok: true; value: SpendRow } | { ok: false; reason: string };

/** A validator of spend rows for one date order: the quick check first, zod for whatever it refuses. */
export function spendRowValidator(dateOrder: DateOrder): SpendRowCheck {
  const schema = spendRowSchema(dateOrder);
  return (values) => {
    const quick = quickSpendRow(values, dateOrder);
    return quick ? { ok: true, value: quick } : validate(schema, values);
  };
}
