// Recognises sourcing requests for the rule planner: starting a tender ("Start a tender for office cleaning for our
// three sites", "We need office cleaning for 3 sites from April, budget £120k"), finding suppliers ("Who could
// supply …?"), comparing bids ("Compare the bids for event 7"), award scenarios ("What if no supplier gets more than
// 40%?") and awards ("Award event 7 to the cheapest split"). Pure text work, like intents.ts, which asks this first.
import { currencyOfSymbol, fixDecimal, isDecimal, multiplyDecimal } from '../../domain/money.js';

export type SourcingIntent = 'sourcing_start' | 'sourcing_candidates' | 'sourcing_bids' | 'sourcing_scenarios' | 'sourcing_award';

export type SourcingAsk = {
  /** The event named ("event 7", "#7"), if any. */
  event?: number;
  /** For a new event: its title, budget and start. */
  title?: string;
  budget?: { value: string; currency: string };
  neededFrom?: string;
  /** For candidate searches: what is needed, in words. */
  need?: string;
  /** A share cap as a fraction ("0.4" for 40%). */
  maxShare?: string;
  /** For awards: the scenario meant. */
  scenario?: 'single_lowest' | 'split_lowest' | 'split_capped';
  exclude?: string[];
};

export type SourcingReading = { intent: SourcingIntent; supplierPhrases: string[]; sourcing: SourcingAsk };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function eventOf(t: string): number | undefined {
  const m = /\b(?:event|tender|rfq|rfp|rfx)\s*(?:no\.?|number|#)?\s*#?(\d{1,9})\b/i.exec(t) ?? /(?:^|\s)#(\d{1,9})\b/.exec(t);
  return m ? Number(m[1]) : undefined;
}

function shareOf(t: string): string | undefined {
  const m = /\b(?:more than|over|above|exceeds?|at most|no more than|max(?:imum)?(?: of)?|cap(?:ped)?(?: at)?)\s+(\d{1,3}(?:\.\d+)?)\s*(%|percent|per cent)/i.exec(t);
  if (!m) return undefined;
  const pct = Number(m[1]);
  if (!(pct > 0 && pct <= 100)) return undefined;
  return String(Number((pct / 100).toFixed(6)));
}

/** "£120k" → 120000 GBP; "budget of 1.2m EUR". */
function budgetOf(t: string): SourcingAsk['budget'] {
  const m = /\b(?:budget(?:\s+(?:of|is|around|about))?|up to|worth|value of|for about|approx(?:imately)?)\s*:?\s*([£$€])?\s*([\d,]+(?:\.\d+)?)\s*(k|m|thousand|million|bn)?\s*([A-Za-z]{3})?\b/i.exec(t);
  if (!m) return undefined;
  const figure = m[2]!.replace(/,/g, '');
  if (!isDecimal(figure)) return undefined;
  const unit = (m[3] ?? '').toLowerCase();
  const mult = unit === 'k' || unit === 'thousand' ? '1000' : unit === 'm' || unit === 'million' ? '1000000' : unit === 'bn' ? '1000000000' : '1';
  const code = m[4] && /^[A-Z]{3}$/i.test(m[4]) && !/^(for|and|the|per)$/i.test(m[4]) ? m[4].toUpperCase() : undefined;
  return { value: fixDecimal(multiplyDecimal(figure, mult, 2), 2), currency: code ?? currencyOfSymbol(m[1] ?? '') ?? 'GBP' };
}

/** "from April" → the first of the next April after `today` (this April if still ahead). */
export function neededFromOf(t: string, today: Date): string | undefined {
  const m = new RegExp(`\\b(?:from|starting|start(?:ing)? in|by|in)\\s+(${MONTHS.map((x) => x.slice(0, 3)).join('|')})[a-z]*\\.?(?:\\s+(\\d{4}))?\\b`, 'i').exec(t);
  if (!m) return undefined;
  const month = MONTHS.findIndex((x) => x.startsWith(m[1]!.toLowerCase()));
  let year = m[2] ? Number(m[2]) : today.getUTCFullYear();
  if (!m[2] && month < today.getUTCMonth()) year++;
  return `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The subject of a tender: "office cleaning for our three sites" without the budget and date clauses. */
function titleOf(s: string): string {
  const cut = s
    .replace(/[,;]?\s*\b(?:with a |on a |and a )?budget\b.*$/i, '')
    .replace(new RegExp(`[,;]?\\s*\\b(?:from|starting|by|in)\\s+(?:${MONTHS.map((x) => x.slice(0, 3)).join('|')})[a-z]*\\b.*$`, 'i'), '')
    .replace(/[?.!,;:\s]+$/, '')
    .replace(/\bour\b/i, 'the')
    .trim();
  return cut.charAt(0).toUpperCase() + cut.slice(1);
}

const TENDER = /\b(?:start|run|launch|open|kick off|set up|begin|create|raise)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:tender|rfq|rfp|rfx|sourcing event|competitive bid|competition|request for (?:quotation|quote|proposal)s?)\s+(?:for|on)\s+(.+)$/i;
const NEED = /^\s*(?:we|i)\s+(?:need|want|require|are looking for|would like)\s+(?!to\b)(.+)$/i;

/** Reads a sourcing request, or undefined when the text is not one. */
export function readSourcing(text: string, today: Date = new Date()): SourcingReading | undefined {
  const t = text.trim();
  const event = eventOf(t);
  const maxShare = shareOf(t);
  const base = (intent: SourcingIntent, sourcing: SourcingAsk): SourcingReading => ({ intent, supplierPhrases: [], sourcing: { ...(event ? { event } : {}), ...(maxShare ? { maxShare } : {}), ...sourcing } });

  // "without Dazzle & Co", "excluding Brite Facilities": a bidder left out of the award.
  const without = /\b(?:without|exclud(?:e|ing))\s+([A-Z][\w&'’.\- ]{1,60}?)(?=[?.!,]|$)/.exec(t);
  const exclude = without ? { exclude: [without[1]!.trim()] } : {};
  const award = /\baward\b/i.test(t) && !/\bawards?\s+scenarios?\b/i.test(t);
  if (award && (event !== undefined || /\b(?:cheapest|lowest|split|single|bidder)\b/i.test(t))) {
    const scenario = maxShare ? 'split_capped' : /\bsplit\b|\bby line\b|\beach line\b/i.test(t) ? 'split_lowest' : /\bsingle\b|\bone (?:supplier|bidder)\b|\blowest (?:bid|bidder)\b|\bcheapest (?:bid|bidder)\b/i.test(t) ? 'single_lowest' : 'split_lowest';
    return base('sourcing_award', { scenario, ...exclude });
  }
  if (/\bwhat if\b|\bscenarios?\b|\bno (?:one |single )?(?:supplier|bidder|vendor)\s+(?:gets?|has|receives?|takes?)\b/i.test(t) && (maxShare || /\bscenario|award|split|exclud|without\b/i.test(t))) {
    return base('sourcing_scenarios', exclude);
  }
  if (/\bbids?\b|\btenders? (?:received|returned)\b|\bquotes? (?:for|on) event\b/i.test(t) && (event !== undefined || /\b(?:compare|analy[sz]e|rank|cheapest|lowest|who (?:bid|won))\b/i.test(t))) {
    return base('sourcing_bids', {});
  }
  const who = /\bwho\s+(?:else\s+)?(?:could|can|might|would be able to|is able to)\s+(?:supply|provide|deliver|do|quote for|bid for)\s+(.+?)[?.!]*$/i.exec(t) ?? /\b(?:candidate|potential|possible|alternative)\s+suppliers?\s+(?:for|of)\s+(.+?)[?.!]*$/i.exec(t);
  if (who) return base('sourcing_candidates', { need: who[1]!.replace(/^(?:us\s+(?:with\s+)?)/i, '').trim() });
  const tender = TENDER.exec(t);
  const need = tender ? undefined : NEED.exec(t);
  // "We need …" is a sourcing request only when it reads like one: a budget, a start, sites, or a service.
  const needLike = need && (budgetOf(t) || neededFromOf(t, today) || /\bsites?\b|\bservices?\b|\bcontract\b|\bsupplier\b|\bquotes?\b|\btender\b/i.test(t)) && !/\bfrom\s+[A-Z][a-z]+\s+(?:Ltd|Limited|Inc|LLC|plc)\b/.test(t);
  const subject = tender?.[1] ?? (needLike ? need![1] : undefined);
  if (subject) {
    const budget = budgetOf(t);
    const neededFrom = neededFromOf(t, today);
    return base('sourcing_start', { title: titleOf(subject).slice(0, 300), ...(budget ? { budget } : {}), ...(neededFrom ? { neededFrom } : {}) });
  }
  return undefined;
}
