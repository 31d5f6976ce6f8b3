// Intent recognition for the rule planner: what is being asked, and the phrases that name its subjects.
// Pure text work; supplier phrases are resolved against the database afterwards, through the supplier agent.
import { currencyOfSymbol, fixDecimal, isDecimal, multiplyDecimal } from '../../domain/money.js';
import { readStatusQuestion, type StatusAsk, type StatusIntent } from './status-intents.js';
import { type ForecastReading, readForecast } from './forecast-intent.js';
import { readSourcing, type SourcingIntent, type SourcingReading } from './sourcing-intent.js';

export type Intent =
  | 'spend_total'
  | 'spend_top'
  | 'spend_breakdown'
  | 'spend_trend'
  | 'spend_compare'
  | 'spend_anomalies'
  | 'spend_count'
  | StatusIntent
  | 'supplier_profile'
  | 'sanctions_check'
  | 'supplier_risk'
  | 'supplier_duplicates'
  | 'contracts_expiring'
  | 'contract_terms'
  | 'contracts_of_supplier'
  | 'price_compliance'
  | 'purchase_request'
  | 'spend_forecast'
  | 'contract_burn'
  | SourcingIntent
  | 'help';

export type GroupBy = 'supplier' | 'category' | 'month' | 'quarter' | 'year' | 'department';

export type Measure = 'suppliers' | 'payments' | 'categories' | 'departments' | 'average';

export type AnomalyKind = 'duplicate_payment' | 'split_purchase' | 'price_variance' | 'off_contract';

export type Reading = {
  intent: Intent;
  /** Phrases that probably name suppliers, most likely first ("Refinitiv", "Dell"). */
  supplierPhrases: string[];
  /** Longer phrases spanning "and"/"&" that may be one supplier's name; taken only when one names a supplier exactly. */
  joinedPhrases?: string[];
  groupBy?: GroupBy;
  topN?: number;
  days?: number;
  /** For purchase requests: "200 laptops" → quantity 200, item "laptops"; amount with currency. */
  quantity?: number;
  item?: string;
  amount?: { value: string; currency: string };
  category?: string;
  /** A department named as one ("the IT department", "What did Finance spend"), as the question spells it. */
  department?: string;
  /** For questions about where things stand: approvals, findings, an invoice or order, suppliers by status. */
  ask?: StatusAsk;
  /** For counting questions: what is counted or averaged ("how many suppliers", "average payment"). */
  measure?: Measure;
  /** For rankings: smallest first ("bottom 5", "smallest suppliers"). */
  smallestFirst?: boolean;
  /** For anomaly questions that name one kind ("any duplicate payments?"); unset means every kind. */
  anomalyKinds?: AnomalyKind[];
  /** For forecasts: months ahead, and the category or department forecast (see forecast-intent.ts). */
  forecast?: ForecastReading['forecast'];
  /** For sourcing requests: the event, a new event's title, budget and start, a share cap (see sourcing-intent.ts). */
  sourcing?: SourcingReading['sourcing'];
};

const STOP_TAIL =
  /\s+(?:in|during|for|since|between|from|with|to|last|this|over|by|on|at|per|and|or|vs\.?|versus|compared|before|after|q[1-4]|fy\s*\d|\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b.*$/i;

// A phrase that starts with a period word names a time, not a subject ("paid in the first half of 2012").
const PERIOD_START = /^(?:in|during|since|between|over|last|this|next|the (?:first|second|last|past))\b.*$/i;

function cleanPhrase(s: string): string {
  return s
    .replace(PERIOD_START, '')
    .replace(STOP_TAIL, '')
    .replace(/[?.!,;:]+$/g, '')
    .replace(/^(?:to|with|from|for|by)\s+/i, '')
    .replace(/^(?:the|our|a|an|their|its|his|her|my|your|this|that|these|those)\s+/i, '')
    .replace(/['’]s$/i, '')
    .trim();
}

// Words that follow "by", "for", "on"… in questions without naming anyone ("top suppliers by spend", "paying
// contracted prices"): a phrase made only of these names nobody.
const GENERIC_WORDS = new Set(
  (
    'us we them it this that all any each me now today suppliers supplier vendors vendor spend spending spent value ' +
    'amount amounts total totals category categories department departments month months quarter quarters year years ' +
    'date dates payment payments invoice invoices contract contracts contracted agreement agreements price prices ' +
    'pricing terms term cost costs money more less much lot lots everything anything something everyone anyone ' +
    'time over same other others one ones what which who the of a an and or our than at per in on for to by with from ' +
    'most least top biggest largest highest lowest best worst bottom smallest how what much many did do does show ' +
    'give list tell please average mean number count distinct overall grand whole entire organisation company'
  ).split(' '),
);

// A sentence that starts like a question or a command starts with no name.
const QUESTION_START =
  /^(?:what|how|which|who|when|where|why|did|do|does|has|have|is|are|was|were|show|give|list|tell|total|top|bottom|average|can|could|should|please|any|our|the|all)\b/i;

function isGeneric(phrase: string): boolean {
  // An acronym written in capitals ("IT", "HR", "HP") names something even when the word is common.
  if (/(?:^|[\s-])[A-Z]{2,6}(?=$|[\s-])/.test(phrase) && !/^(?:US|WE|I)$/.test(phrase.trim())) return false;
  const words = phrase.toLowerCase().split(/[\s-]+/).filter((w) => w !== '');
  return words.length > 0 && words.every((w) => GENERIC_WORDS.has(w) || /^\d{1,3}$/.test(w));
}
function capture(text: string, re: RegExp): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const phrase = cleanPhrase(m[1] ?? '');
    if (phrase.length >= 2 && phrase.length <= 120 && !isGeneric(phrase)) {
      out.push(phrase);
    }
  }
  return out;
}

/** Reads `text` into an intent and its subject phrases; unknown questions read as 'help'. */
export function readIntent(text: string): Reading {
  const t = text.trim();
  const lower = t.toLowerCase();
  const sourcing = readSourcing(t);
  if (sourcing) return sourcing;
  const forecast = readForecast(t);
  if (forecast) return forecast;
  const phrases = [
    ...capture(t, /\b(?:with|from|to|by|about|for|pay|paid|paying)\s+([A-Za-z0-9][\w&'’.\- ]{1,80})/gi),
    ...capture(t, /\bis\s+([A-Za-z0-9][\w&'’.\- ]{1,80}?)\s+(?:sanctioned|on (?:a|the|any) sanctions? list|a risk|risky|safe)/gi),
    ...capture(t, /\b(?:screen|profile|check)\s+([A-Za-z0-9][\w&'’.\- ]{1,80})/gi),
    ...capture(t, /\b([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})['’]s\s+(?:contracts?|spend|risk|profile)/g),
    // "the Dell contract", "our Refinitiv agreement": a capitalised name in front of the document.
    ...capture(t, /\b(?:the|our|their)\s+([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})\s+(?:contracts?|agreements?)\b/g),
    // The second of two names ("with Brightline and Kestrel"); a lower-case word after "and" continues one name.
    ...capture(t, /\b(?:with|from|to|pay|paid|paying)\s+[A-Za-z0-9][\w&'’.\- ]{0,80}?\s+(?:and|&)\s+([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})/g),
  ];
  // Terse, name-first phrasing: "Refinitiv spend March 2026", "Refinitiv Ltd payments in 2012".
  const leading = /^\s*([A-Z0-9][\w&'’.\-]*(?:\s+(?!(?:spend|spending|spent|costs?|payments?|paid|invoices?)\b)[A-Za-z0-9&][\w&'’.\-]*){0,5})\s+(?:spend|spending|spent|costs?|payments?|paid|invoices?)\b/.exec(t);
  if (leading && !QUESTION_START.test(leading[1]!)) phrases.push(...capture(leading[1]!, /^(.+)$/g));
  // The spender named as the subject ("What did IT spend in 2026?", "How much has Facilities paid?"): a department.
  const spender = /\b(?:what|how much)\s+(?:did|does|do|has|have)\s+(?:the\s+)?([A-Za-z0-9][\w&'’.\- ]{0,60}?)\s+(?:team\s+|department\s+|dept\.?\s+)?(?:spend|spent|pay|paid|cost)\b/i.exec(t);
  // "the Human Resources directorate", "the finance department", "department of Finance".
  const unit = '(?:[Dd]epartment|[Dd]ept\\.?|[Dd]irectorate|[Dd]ivision)';
  const named =
    new RegExp(`\\b([A-Z0-9][\\w&'’.-]*(?:\\s+(?:and\\s+|&\\s+)?[A-Z0-9][\\w&'’.-]*){0,3})\\s+${unit}\\b`).exec(t) ??
    new RegExp(`\\bthe\\s+([a-z][\\w-]*)\\s+(?:${unit}|team)\\b`).exec(t) ??
    new RegExp(`\\b${unit}\\s+(?:of\\s+)?([A-Z0-9][\\w&'’.-]*(?:\\s+(?:and\\s+|&\\s+)?[A-Z0-9][\\w&'’.-]*){0,3})`).exec(t);
  const departmentPhrase = [spender?.[1], named?.[1]].map((x) => (x ? cleanDepartment(x) : '')).find((x) => x !== '');
  const compared = /\bcompare\s+(.+?)\s+(?:vs\.?|versus|and|with|to)\s+(.+?)(?=\s+(?:in|during|for|since|between|from|last|this|over)\b|[?.!]|$)/i.exec(t);
  if (compared) phrases.unshift(cleanPhrase(compared[1]!), cleanPhrase(compared[2]!));
  const versus = /^(?:.*?\b)?([A-Za-z0-9][\w&'’. -]{1,60}?)\s+(?:vs\.?|versus)\s+([A-Za-z0-9][\w&'’. -]{1,60}?)(?=\s+(?:in|during|for|since|between|from|last|this|over)\b|[?.!]|$)/i.exec(t);
  if (versus && !compared) phrases.unshift(cleanPhrase(versus[1]!.replace(/^(?:spend|spending)\s+(?:with|on)\s+/i, '')), cleanPhrase(versus[2]!));
  const supplierPhrases = [...new Set(phrases.filter((p) => p.length >= 2 && !isGeneric(p)))];
  // Names with "and" or "&" inside ("London and Quadrant Housing Trust"): tried whole first, used only if exact.
  const joinedPhrases = [
    ...new Set(
      [...t.matchAll(/\b(?:with|from|to|pay|paid|paying|for|about)\s+([A-Za-z0-9][\w'’.\- ]{0,60}?\s+(?:and|&)\s+[A-Za-z0-9][\w&'’.\- ]{0,60})/gi)]
        .map((m) => cleanPhrase(m[1]!.replace(/\s+(?:and|&)\s+/gi, (x) => x.replace(/\s+/g, '\u0000'))).replace(/\u0000/g, ' '))
        .filter((p) => /\s(?:and|&)\s/i.test(p)),
    ),
  ];
  const topMatch =
    /\b(?:top|bottom|biggest|largest|smallest|lowest)\s+(\d{1,3})\b/i.exec(lower) ??
    /\b(\d{1,3})\s+(?:biggest|largest|smallest|lowest)\b/i.exec(lower);
  const smallestFirst = /\bbottom\s+\d|\b(?:smallest|lowest|least)\b/i.test(lower);
  // What a ranking ranks: "top 5 spend categories", "bottom 3 departments", "biggest suppliers".
  const ranked = /\b(?:top|bottom|biggest|largest|smallest|lowest|highest)\s+(?:\d{1,3}\s+)?(?:spend(?:ing)?\s+)?(categor|department|supplier|vendor)/i.exec(lower)?.[1];
  const topN = topMatch ? Math.min(100, Number(topMatch[1])) : undefined;
  const daysMatch = /\b(?:next|within|in)\s+(\d{1,4})\s+days?\b/i.exec(lower);
  const monthsMatch = /\b(?:next|within|in)\s+(\d{1,2})\s+months?\b/i.exec(lower);
  const days = daysMatch ? Number(daysMatch[1]) : monthsMatch ? Number(monthsMatch[1]) * 30 : undefined;
  const groupBy: GroupBy | undefined = ranked
    ? ranked === 'categor'
      ? 'category'
      : ranked === 'department'
        ? 'department'
        : 'supplier'
    : /\bby (?:category|categories|expense type)|which categor/i.test(lower)
    ? 'category'
    : /\bby department|which department/i.test(lower)
      ? 'department'
      : /\bby quarter|quarterly|per quarter/i.test(lower)
        ? 'quarter'
        : /\bby year|yearly|annual|per year|year by year/i.test(lower)
          ? 'year'
          : /\bby month|monthly|per month|month by month/i.test(lower)
            ? 'month'
            : /\bby supplier|which suppliers?|top suppliers|biggest suppliers|largest suppliers/i.test(lower)
              ? 'supplier'
              : undefined;

  // "Spend on travel": money is spent *with* or *to* a supplier but *on* a category.
  // Category names may carry a qualifier in brackets ("Security Services (Guards)").
  const onPhrase = capture(t, /\bon\s+([A-Za-z0-9][\w&'’.\-() ]{1,80})/gi)[0]?.replace(/\s*\($/, '');
  const base = {
    supplierPhrases,
    ...(joinedPhrases.length > 0 ? { joinedPhrases } : {}),
    topN,
    days,
    groupBy,
    ...(onPhrase ? { category: onPhrase } : {}),
    ...(departmentPhrase ? { department: departmentPhrase } : {}),
    ...(smallestFirst ? { smallestFirst } : {}),
  };

  const buy = /(?:\b(?:can|could|may|should|shall)\s+(?:we|i)\s+|\b(?:i|we)\s+(?:need|want|would like|'d like|plan|intend)\s+to\s+|^\s*(?:please\s+)?)(?:buy|purchase|order|procure|book|hire|rent|lease|source)\s+(?:(\d[\d,]*)\s+)?([a-z][\w\- ]{1,60}?)\s+from\s+([A-Za-z0-9][\w&'’.\- ]{1,60}?)(?:\s+for\s+(?:about\s+|around\s+)?([£$€])?\s*([\d,.]+)\s*(k|m|thousand|million)?\s*([A-Za-z]{3})?)?\s*[?.!]*$/i.exec(t);
  if (buy) {
    let amount: Reading['amount'];
    const figure = buy[5]?.replace(/,/g, '').replace(/\.+$/, '');
    if (figure && isDecimal(figure)) {
      const mult = /^(k|thousand)$/i.test(buy[6] ?? '') ? '1000' : /^(m|million)$/i.test(buy[6] ?? '') ? '1000000' : '1';
      amount = {
        value: fixDecimal(multiplyDecimal(figure, mult, 2), 2),
        currency: buy[7]?.toUpperCase() ?? currencyOfSymbol(buy[4] ?? '') ?? 'GBP',
      };
    }
    return {
      ...base,
      intent: 'purchase_request',
      quantity: buy[1] ? Number(buy[1].replace(/,/g, '')) : undefined,
      item: buy[2]!.trim(),
      // Only the name after "from": "need to buy 50 reams" would otherwise read as a supplier too.
      supplierPhrases: [cleanPhrase(buy[3]!)],
      amount,
    };
  }
  const status = readStatusQuestion(t);
  if (status) {
    const { category: _c, department: _d, ...rest } = base;
    return { ...rest, supplierPhrases: [], intent: status.intent, ask: status.ask };
  }
  if (/sanction|ofac|\bsdn\b|denied part|watch ?list/i.test(lower)) return { ...base, intent: 'sanctions_check' };
  if (/expir|renew|notice deadline|coming up for renewal|end(?:s|ing) soon/i.test(lower) && /contract|agreement|renew/i.test(lower)) {
    return { ...base, intent: 'contracts_expiring' };
  }
  if (/terminat|notice period|governing law|liabilit|clause|terms? (?:of|with)|auto-?renew/i.test(lower)) {
    return { ...base, intent: 'contract_terms' };
  }
  if (/price compliance|contract(?:ed)? price|overcharg|price variance|paying more than/i.test(lower)) {
    return { ...base, intent: 'price_compliance' };
  }
  if (/duplicate(?:d)? (?:supplier|vendor)s?|(?:supplier|vendor) duplicates|same supplier twice|duplicate master/i.test(lower)) {
    return { ...base, intent: 'supplier_duplicates' };
  }
  if (/duplicate|anomal|split (?:purchase|order|payment)|maverick|off-contract|off contract|unusual|suspicious/i.test(lower)) {
    return { ...base, intent: 'spend_anomalies', ...anomalyKinds(lower) };
  }
  if (/\bcontracts?\b|\bagreements?\b/i.test(lower)) return { ...base, intent: 'contracts_of_supplier' };
  if (/\brisk|exposure\b/i.test(lower)) return { ...base, intent: 'supplier_risk' };
  if (/\bcompare|\bvs\.?\b|\bversus\b/i.test(lower)) return { ...base, intent: 'spend_compare' };
  if (/\btrend|over time|month by month|monthly|growing|increas|decreas|change/i.test(lower) && /spen|paid|pay|cost/i.test(lower)) {
    return { ...base, intent: 'spend_trend', groupBy: base.groupBy ?? 'month' };
  }
  const measure = measureOf(lower);
  if (measure) return { ...base, intent: 'spend_count', measure };
  if (/\btop\b|\bbottom\s+\d|biggest|largest|smallest|lowest|most|highest|which suppliers|who did we (?:pay|spend)/i.test(lower)) {
    return { ...base, intent: 'spend_top', groupBy: base.groupBy ?? 'supplier', topN: topN ?? 10 };
  }
  if (/spen[dt]|paid|pay|payments?|cost|how much|total/i.test(lower)) {
    return { ...base, intent: base.groupBy ? 'spend_breakdown' : 'spend_total' };
  }
  if (/tell me about|who is|profile|what do we know about|details (?:of|for|on)/i.test(lower)) {
    return { ...base, intent: 'supplier_profile' };
  }
  return { ...base, intent: 'help' };
}

// "How many suppliers did we pay", "number of payments", "average invoice": counting, not a total.
function measureOf(lower: string): Measure | undefined {
  const counted = /\b(?:how many|number of|count of|count the)\s+(?:different\s+|distinct\s+|unique\s+|separate\s+)?(suppliers?|vendors?|payees?|payments?|transactions?|invoices?|categor(?:y|ies)|departments?)\b/.exec(lower)?.[1];
  if (counted) {
    if (/^(?:supplier|vendor|payee)/.test(counted)) return 'suppliers';
    if (/^categor/.test(counted)) return 'categories';
    if (/^department/.test(counted)) return 'departments';
    return 'payments';
  }
  if (/\b(?:average|mean|typical)\s+(?:payment|transaction|invoice|spend|amount|value)/.test(lower)) return 'average';
  return undefined;
}

// A department phrase without its framing: "the IT" → "IT"; question words and pronouns name no department.
function cleanDepartment(phrase: string): string {
  // Not cleanPhrase: "and" belongs inside a department's name ("Culture and Media").
  const p = phrase
    .replace(/\s+(?:in|during|for|since|between|from|last|this|over|by|with|on|q[1-4]|\d{4})\b.*$/i, '')
    .replace(/[?.!,;:]+$/g, '')
    .replace(/^(?:the|our|their)\s+/i, '')
    .replace(/\s+(?:team|department|dept\.?)$/i, '')
    .trim();
  return p.length >= 2 && !isGeneric(p) && !/^(?:we|i|you|they|us)$/i.test(p) ? p : '';
}

// Only when the question names kinds and not anomalies in general ("any duplicate payments?" but not "any
// anomalies, such as duplicates?"): the others would bury what was asked for.
function anomalyKinds(lower: string): { anomalyKinds?: AnomalyKind[] } {
  if (/anomal|unusual|suspicious/.test(lower)) return {};
  const kinds: AnomalyKind[] = [];
  if (/duplicate/.test(lower)) kinds.push('duplicate_payment');
  if (/split/.test(lower)) kinds.push('split_purchase');
  if (/maverick|off-contract|off contract/.test(lower)) kinds.push('off_contract');
  return kinds.length > 0 ? { anomalyKinds: kinds } : {};
}
