// A question bank: JSON (an array of items) or JSONL (one item per line). Each item is a question with what
// its answer must show, either written out (`expect`: figures and names) or computed on the organisation's own
// database (`sql`: a read-only query whose values the answer must show), so acceptance tests can be written for
// one's own data before going live. Bad items are reported by line, all at once.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../errors.js';

const item = z
  .strictObject({
    q: z.string().trim().min(1, 'q (the question) is empty').max(4000, 'q is longer than 4000 characters'),
    expect: z.array(z.union([z.string().min(1), z.number()])).min(1, 'expect needs at least one figure or name').optional(),
    sql: z.string().trim().min(1).max(20_000).optional(),
    /** Who asks (an email): for questions about "my" approvals. */
    as: z.string().trim().min(3).max(320).optional(),
    /** A label to count results by ("totals", "counting", …). */
    class: z.string().trim().min(1).max(60).optional(),
  })
  .refine((i) => (i.expect === undefined) !== (i.sql === undefined), { message: 'give either "expect" or "sql", not both and not neither' });

export type BankItem = z.infer<typeof item> & { line: number };

/** Parses a bank's text (`name` for messages); throws an AppError listing every bad item with its line. */
export function parseBank(text: string, name: string): BankItem[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new AppError('eval:bank', `${name} has no questions.`);
  const raw: { line: number; value: unknown }[] = [];
  const problems: string[] = [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new AppError('eval:bank', `${name} is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed)) throw new AppError('eval:bank', `${name} must be a JSON array of questions or JSON lines.`);
    // Items of a JSON array are numbered by position (line numbers are not kept by JSON.parse).
    for (const [i, value] of parsed.entries()) raw.push({ line: i + 1, value });
  } else {
    text.split(/\r?\n/).forEach((l, i) => {
      if (l.trim() === '' || l.trim().startsWith('//')) return;
      try {
        raw.push({ line: i + 1, value: JSON.parse(l) });
      } catch (err) {
        problems.push(`line ${i + 1}: not valid JSON (${(err as Error).message})`);
      }
    });
  }
  const items: BankItem[] = [];
  for (const r of raw) {
    const p = item.safeParse(r.value);
    if (p.success) items.push({ ...p.data, line: r.line });
    else problems.push(`${trimmed.startsWith('[') ? 'item' : 'line'} ${r.line}: ${p.error.issues.map((x) => `${x.path.join('.') || 'item'}: ${x.message}`).join('; ')}`);
  }
  if (problems.length > 0) {
    throw new AppError('eval:bank', `${name} has ${problems.length} bad item${problems.length === 1 ? '' : 's'}:\n  ${problems.slice(0, 50).join('\n  ')}`);
  }
  return items;
}

/** Reads and parses a bank file. */
export async function readBank(path: string): Promise<BankItem[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('eval:bank', `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseBank(text, path);
}
