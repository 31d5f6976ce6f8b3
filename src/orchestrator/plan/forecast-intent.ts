// Recognises forecasting questions for the rule planner ("Forecast IT spend for next quarter", "What will we
// spend with Dell next year?"): the horizon in months and what is forecast (a supplier, a category or a
// department, or everything); and contract burn questions ("Will the Refinitiv contract run out before it
// ends?"). Pure text work, like intents.ts, which asks this first.

/** What is forecast: spend in a category or department, or the quantity of an item ordered. */
export type ForecastSubject = { kind: 'category' | 'department' | 'item'; phrase: string };

export type ForecastReading = {
  intent: 'spend_forecast' | 'contract_burn';
  supplierPhrases: string[];
  /**
   * For contract burn, `contract` is a contract number the question names; `rank` asks which categories,
   * suppliers or departments grow fastest (forecast against their last 12 months).
   */
  forecast: { horizonMonths: number; subject?: ForecastSubject; contract?: string; rank?: { by: 'growth'; groupBy: 'category' | 'supplier' | 'department' } };
};

/** Months ahead when the question names no horizon: the next quarter. */
export const DEFAULT_HORIZON = 3;
const MAX_HORIZON = 24;

// A question about the future of spend: "forecast", "predict", "project", or "will/going to … spend/pay/cost".
const FORECASTING =
  /\b(?:forecast\w*|predict\w*|projected|projection|outlook)\b|\b(?:will|shall|going to|likely to|expect(?:ed)? to)\b[^?.!]*\b(?:spend|spent|pay|cost)\b/i;
// Contract burn-down questions ("will the X contract run out") are about a contract, not spend in general.
const CONTRACT = /\b(?:contract|agreement)s?\b/i;

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, nine: 9, twelve: 12, eighteen: 18 };

function count(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word.toLowerCase()] ?? Number.NaN);
}

/** The horizon the question asks for, in months (undefined when it names none). */
export function horizonOf(text: string): number | undefined {
  const t = text.toLowerCase();
  const n = /\b(?:next|coming|following|over the next|in the next)\s+(\d{1,2}|one|two|three|four|five|six|nine|twelve|eighteen)\s+(months?|quarters?|years?)\b/.exec(t);
  if (n) {
    const k = count(n[1]!);
    const unit = n[2]!.startsWith('month') ? 1 : n[2]!.startsWith('quarter') ? 3 : 12;
    if (Number.isFinite(k) && k > 0) return Math.min(MAX_HORIZON, k * unit);
  }
  if (/\bnext\s+month\b/.test(t)) return 1;
  if (/\b(?:next|coming)\s+(?:quarter|three months)\b|\bq[1-4] next year\b/.test(t)) return 3;
  if (/\b(?:next|coming)\s+(?:half|six months)\b/.test(t)) return 6;
  if (/\b(?:next|coming)\s+(?:financial\s+|fiscal\s+|calendar\s+)?year\b|\bnext fy\b|\bnext twelve months\b/.test(t)) return 12;
  return undefined;
}

const STOP = /\s+(?:next|this|in|over|for|during|the coming|from now|by|within|between|on|at)\b.*$/i;

function clean(phrase: string): string {
  return phrase
    .replace(STOP, '')
    .replace(/[?.!,;:]+$/g, '')
    .replace(/^(?:the|our|a|an)\s+/i, '')
    .replace(/['’]s$/i, '')
    .trim();
}

// Words that name no category when they stand in front of "spend" ("forecast our total spend").
const NOT_A_SUBJECT = /^(?:total|all|overall|our|the|monthly|quarterly|annual|yearly|future|organisation|company|group|whole)?$/i;

// Spend against a contract passing its value: "run out", "burn through", "exceed its value", "overrun".
const BURN = /\b(?:run(?:s|ning)?|burn(?:s|ing|t)?(?:\s+through)?)\s+out\b|\bburn(?:s|ing)?\s+(?:through|rate)\b|\b(?:exceed(?:s|ed|ing)?|go(?:es|ing)?\s+over|pass(?:es|ed)?)\s+(?:its|the|their)\s+(?:contract(?:ed)?\s+)?(?:value|budget|ceiling|cap|limit)\b|\boverrun|\bmoney\s+left\b|\bhow much is left\b/i;

/** Reads a contract burn question; undefined when `text` is not one. */
export function readContractBurn(text: string): ForecastReading | undefined {
  const t = text.trim();
  const number = /\b[A-Z]{1,5}-\d{2,4}(?:-\d{1,5})+\b/.exec(t)?.[0];
  if (!(CONTRACT.test(t) || number) || !BURN.test(t)) return undefined;
  if (number) return { intent: 'contract_burn', supplierPhrases: [], forecast: { horizonMonths: DEFAULT_HORIZON, contract: number } };
  const named =
    /\b(?:the|our|their)\s+([A-Za-z0-9][\w&'’.-]*(?:\s+[A-Za-z0-9&][\w&'’.-]*){0,4}?)\s+(?:contract|agreement)s?\b/i.exec(t) ??
    /\b(?:contract|agreement)s?\s+(?:with|for)\s+([A-Za-z0-9][\w&'’.\- ]{0,60})/i.exec(t);
  const phrase = named ? clean(named[1]!) : '';
  return { intent: 'contract_burn', supplierPhrases: phrase.length >= 2 ? [phrase] : [], forecast: { horizonMonths: DEFAULT_HORIZON } };
}

// "Which categories are growing fastest?", "fastest-growing suppliers", "where is spend growing most?"
const GROWTH = /\bgrow(?:s|ing|th)?\s+(?:the\s+)?(?:fastest|most|quickest)\b|\bfastest[- ]growing\b|\b(?:biggest|largest|highest)\s+growth\b/i;

// Quantities rather than money: "How many laptops will we need next quarter?", "Forecast demand for toner".
const QUANTITY = [
  /\bhow many\s+([a-z0-9][\w\- ]{1,40}?)\s+(?:will|shall|are|do|might)\s+(?:we\s+)?(?:be\s+)?(?:going\s+to\s+|likely\s+to\s+|expect\s+to\s+)?(?:need|order|buy|use|require|receive)(?:ing)?\b/i,
  /\b(?:forecast|predict|project)\s+(?:the\s+|our\s+)?demand\s+for\s+([A-Za-z0-9][\w&'’.\- ]{0,60})/i,
  /\bdemand\s+for\s+([A-Za-z0-9][\w&'’.\- ]{0,60}?)\s+(?:next|over|in the|for the|this)\b/i,
];

/** Reads a question about quantities to come; undefined when `text` is not one. */
export function readDemand(text: string): ForecastReading | undefined {
  for (const re of QUANTITY) {
    const m = re.exec(text);
    const phrase = m ? clean(m[1]!) : '';
    if (phrase.length >= 2) return { intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths: horizonOf(text) ?? DEFAULT_HORIZON, subject: { kind: 'item', phrase } } };
  }
  return undefined;
}

/** Reads a forecasting or contract burn question; undefined when `text` is neither. */
export function readForecast(text: string): ForecastReading | undefined {
  const t = text.trim();
  const burn = readContractBurn(t) ?? readDemand(t);
  if (burn) return burn;
  if (GROWTH.test(t)) {
    const groupBy = /\b(?:suppliers?|vendors?)\b/i.test(t) ? 'supplier' : /\b(?:departments?|teams?|directorates?)\b/i.test(t) ? 'department' : 'category';
    return { intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths: horizonOf(t) ?? 12, rank: { by: 'growth', groupBy } } };
  }
  if (!FORECASTING.test(t) || CONTRACT.test(t)) return undefined;
  const horizonMonths = horizonOf(t) ?? DEFAULT_HORIZON;
  // "with Dell", "to Refinitiv", "from Apex": a supplier.
  // "going to spend", "likely to pay": an infinitive, not a payee.
  const supplier = /\b(?:with|to|from)\s+(?!(?:spend|pay|cost|be|buy|hire|order|purchase|have|see)\b)([A-Za-z0-9][\w&'’.\- ]{0,80})/i.exec(t);
  const supplierPhrase = supplier ? clean(supplier[1]!) : '';
  if (supplierPhrase.length >= 2) return { intent: 'spend_forecast', supplierPhrases: [supplierPhrase], forecast: { horizonMonths } };
  // "the IT department", "Finance department spend": a department.
  // A run of capitalised words names it ("the Facilities department", "Human Resources department"); failing
  // that, the one word before ("the facilities department").
  const department =
    /\b([A-Z][\w&'’.-]*(?:\s+(?:&\s+)?[A-Z][\w&'’.-]*){0,3})\s+(?:department|dept\.?|directorate|team)\b/.exec(t) ??
    /\b([A-Za-z0-9][\w&'’.-]*)\s+(?:department|dept\.?|directorate|team)\b/i.exec(t);
  if (department) {
    const phrase = clean(department[1]!.replace(/^(?:forecast|predict|project|what|how much|will)\s+/i, ''));
    if (phrase && !NOT_A_SUBJECT.test(phrase)) {
      return { intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths, subject: { kind: 'department', phrase } } };
    }
  }
  // "spend on travel", "forecast IT spend", "what will we spend on agency staff": a category.
  const on = /\b(?:spend|spending|spent|pay|paying|cost)\s+on\s+([A-Za-z0-9][\w&'’.\- ]{0,80})/i.exec(t);
  const before = /\b(?:forecast|predict|project)\s+(?:for\s+)?([A-Za-z0-9][\w&'’.\- ]{0,60}?)\s+(?:spend|spending|costs?|payments?)\b/i.exec(t);
  const phrase = on ? clean(on[1]!) : before ? clean(before[1]!) : '';
  if (phrase && !NOT_A_SUBJECT.test(phrase)) {
    return { intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths, subject: { kind: 'category', phrase } } };
  }
  return { intent: 'spend_forecast', supplierPhrases: [], forecast: { horizonMonths } };
}
