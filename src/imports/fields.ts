// zod building blocks for row validation: each turns a raw cell into a canonical value or a readable reason.
import { z } from 'zod';
import { type DateOrder, type Parsed, parseAmount, parseCurrency, parseDate, parseQuantity } from './values.js';

export type { DateOrder };

function fromParser<T>(parse: (s: string) => Parsed<T>, missing: string) {
  return z.string({ error: missing }).transform((s, ctx) => {
    if (s.trim() === '') {
      ctx.addIssue({ code: 'custom', message: missing });
      return z.NEVER;
    }
    const r = parse(s);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.value;
  });
}

/** Optional cell: absent (records carry empty cells as undefined) → undefined, otherwise parsed with `schema`. */
export function optional<T extends z.ZodType<unknown, string>>(schema: T) {
  return schema.optional();
}

/** Required text, trimmed, with a maximum length. */
export const text = (missing: string, max = 1000) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, `longer than ${max} characters`);

// Money and quantities are stored with 4 decimals; more would be rounded silently, so such values are refused.
const MAX_DECIMALS = 4;
function decimals(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
/** parseAmount, refusing more decimals than the database keeps. */
export const checkedAmount = (s: string): Parsed<{ amount: string; currency?: string }> => {
  const r = parseAmount(s);
  return r.ok && decimals(r.value.amount) > MAX_DECIMALS
    ? { ok: false, reason: `"${s.trim()}" has more than ${MAX_DECIMALS} decimal places` }
    : r;
};
const checkedQuantity = (s: string): Parsed<string> => {
  const r = parseQuantity(s);
  return r.ok && decimals(r.value) > MAX_DECIMALS
    ? { ok: false, reason: `"${s.trim()}" has more than ${MAX_DECIMALS} decimal places` }
    : r;
};

export const amount = () => fromParser(checkedAmount, 'missing amount');
export const quantity = () => fromParser(checkedQuantity, 'missing quantity');
export const currency = () => fromParser(parseCurrency, 'missing currency');
export const isoDate = (order: DateOrder = 'dmy', missing = 'missing date') =>
  fromParser((s) => parseDate(s, order), missing);
export const email = () =>
  z
    .string({ error: 'missing email' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: (i) => `"${String(i.input)}" is not an email address` }));

/** Validates one record; the failure reason names each bad field. */
export function validate<T extends z.ZodType>(
  schema: T,
  values: Record<string, string | undefined>,
): { ok: true; value: z.output<T> } | { ok: false; reason: string } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, value: r.data };
  const reason = r.error.issues
    .map((i) => (i.path.length > 0 && !i.message.startsWith('missing') ? `${String(i.path[0])}: ${i.message}` : i.message))
    .join('; ');
  return { ok: false, reason };
}
