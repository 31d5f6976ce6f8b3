// What a candidate search is about: an event's category, a category code, or words ("office cleaning") that are
// classified against the UNSPSC tree when one is imported and otherwise matched in spend descriptions.
import { z } from 'zod';
import { classifyDescription } from '../../src/db/queries/spend-classify.js';
import type { McpDeps } from '../shared/deps.js';
import { eventArg, findEvent } from './lookup.js';

export const scopeArgs = {
  event: eventArg.optional(),
  category: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/).optional().describe('UNSPSC code or your own; matched with everything under it'),
  text: z.string().min(2).max(300).optional().describe('What is needed, in words, when there is no event or code'),
};

export const scopeSchema = z.strictObject({
  event: z.number().int().nullable(),
  categoryCode: z.string().nullable(),
  categoryTitle: z.string().nullable(),
  words: z.array(z.string()),
  basis: z.string().describe('How the scope was found, in words'),
});

export type Scope = z.infer<typeof scopeSchema>;

const STOP = new Set('for the and our with from need needs needed sites site three two four five from april services service supply supplies'.split(' '));

/** Least share of a description's weight a category must cover to be taken as what the words mean. */
const CLASSIFY_SCORE = 0.5;

/** Resolves the scope of a search, or says why there is none. */
export async function resolveScope(deps: McpDeps, args: { event?: string | number; category?: string; text?: string }): Promise<{ ok: true; scope: Scope } | { ok: false; message: string }> {
  let text = args.text;
  let event: number | null = null;
  if (args.event !== undefined) {
    const found = await findEvent(deps, args.event);
    if (!found.ok) return found;
    event = found.event.number;
    if (found.event.categoryCode && !args.category) {
      return { ok: true, scope: { event, categoryCode: found.event.categoryCode, categoryTitle: await titleOf(deps, found.event.categoryCode), words: [], basis: `event ${event}'s category ${found.event.categoryCode}` } };
    }
    text ??= `${found.event.title} ${found.event.description ?? ''}`;
  }
  if (args.category) return { ok: true, scope: { event, categoryCode: args.category, categoryTitle: await titleOf(deps, args.category), words: [], basis: `category ${args.category}` } };
  if (!text) return { ok: false, message: 'Name an event, a category code or what is needed in words.' };
  const classified = await classifyDescription(deps.database, text, 1);
  const best = classified.matches[0];
  const words = text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !STOP.has(w));
  if (best && best.score >= CLASSIFY_SCORE) {
    return { ok: true, scope: { event, categoryCode: best.code, categoryTitle: best.title, words, basis: `"${text.trim()}" classified as ${best.code} ${best.title}` } };
  }
  if (words.length === 0) return { ok: false, message: `"${text}" names nothing to search for; give a category code or more specific words.` };
  return { ok: true, scope: { event, categoryCode: null, categoryTitle: null, words, basis: `spend descriptions and categories mentioning ${words.map((w) => `"${w}"`).join(' or ')}` } };
}

async function titleOf(deps: McpDeps, code: string): Promise<string | null> {
  const [r] = await deps.database.query<{ title: string }>(`select title from categories where code = $1`, [code]);
  return r?.title ?? null;
}
