// Automatic renewal, the renewal term, and the notice periods that stop a renewal or end a contract for convenience.
import type { NewContractClause } from '../db/contracts.js';
import type { ContractDoc } from './document.js';
import { PERIOD_SRC, type Period, periodAt, periodDays, periodText } from './periods.js';

/** The terms these steps fill in; the end date and initial term, read before, say whether a fixed term applies. */
export type RenewalTerms = {
  endDate?: string;
  term?: string;
  autoRenew?: boolean;
  renewalTerm?: string;
  renewalNoticeDays?: number;
  terminationNoticeDays?: number;
  clauses: NewContractClause[];
};

const AUTO_RENEWAL =
  /\b(?:automatic(?:ally)?|auto)[-\s]?(?:be\s+)?(?:renew|extend)\w*|\b(?:renew|extend)\w*\s+automatically|\bautomatic(?:ally)?\s+(?:renewal|extension)|\b(?:shall|will)\s+(?:thereafter\s+)?(?:be\s+)?(?:renewed|extended|renew|extend)\s+(?:for|on)\s+(?:successive|additional|consecutive|further|subsequent)|\bevergreen\b|\b(?:year|month)[-\s]to[-\s](?:year|month)\b/gi;
const AGREEMENT_WORDS = /\b(?:agreement|term|contract|amendment)\b/i;
// A period right before these words is a notice period, not a renewal period.
const NOTICE_AFTER = /^\s*(?:'s?|s')?\s*(?:\(\s*\d+\s*\)\s*)?(?:prior|advance|in advance|before|written|notice|of notice|'\s*notice)/i;
const NOTICE_BEFORE = /\b(?:at least|no less than|not less than|minimum of|no later than|upon|with|giving|give|provide|providing)\s*$/i;

function isNoticePeriod(f: string, p: Period): boolean {
  return NOTICE_AFTER.test(f.slice(p.end, p.end + 40)) || NOTICE_BEFORE.test(f.slice(Math.max(0, p.start - 25), p.start));
}

function periodsIn(f: string, span: { start: number; end: number }): Period[] {
  const text = f.slice(span.start, span.end);
  return [...text.matchAll(new RegExp(PERIOD_SRC, 'gi'))].map((m) => {
    const p = periodAt(m);
    return { ...p, start: span.start + p.start, end: span.start + p.end };
  });
}

function noticeIn(f: string, span: { start: number; end: number }, except?: Period): Period | undefined {
  return periodsIn(f, span).find(
    (p) => p.start !== except?.start && p.unit !== 'year' && isNoticePeriod(f, p) && /notice|prior|before|advance/i.test(f.slice(span.start, span.end)),
  );
}

/** Reads whether the contract renews by itself, for what term, and the notice that stops a renewal. */
export function extractRenewal(doc: ContractDoc, terms: RenewalTerms): void {
  const f = doc.flat;
  let renewal: { at: number; span: { start: number; end: number } } | undefined;
  for (const m of f.matchAll(AUTO_RENEWAL)) {
    const span = doc.sentence(m.index);
    const sentence = f.slice(span.start, span.end);
    if (!AGREEMENT_WORDS.test(sentence)) continue;
    if (/\b(?:not|no|never)\b[^.]{0,25}$/i.test(f.slice(Math.max(span.start, m.index - 30), m.index))) {
      terms.autoRenew ??= false;
      terms.clauses.push(doc.clause('renewal', m.index, 'no automatic renewal', span));
      continue;
    }
    renewal = { at: m.index, span };
    break;
  }
  if (renewal) {
    terms.autoRenew = true;
    const { span, at } = renewal;
    const sentence = f.slice(span.start, span.end);
    const periods = periodsIn(f, span).filter((p) => !isNoticePeriod(f, p));
    const yearly = /\b(?:year|month)[-\s]to[-\s](?:year|month)\b/i.exec(sentence);
    const period =
      periods.find((p) => p.start >= at) ??
      periods[periods.length - 1] ??
      (yearly ? { n: 1, unit: yearly[0].toLowerCase().startsWith('year') ? 'year' : 'month', start: 0, end: 0 } as Period : undefined);
    if (period) {
      const successive = /\b(?:successive|consecutive|each subsequent|every|year[-\s]to[-\s]year|month[-\s]to[-\s]month)\b/i.test(sentence);
      terms.renewalTerm = `${successive ? 'successive ' : ''}${periodText(period)}`;
    }
    terms.clauses.push(doc.clause('renewal', at, terms.renewalTerm ?? 'automatic', span));

    // The notice that stops a renewal sits in the renewal sentence, or in the one right after it.
    let notice = noticeIn(f, span, period);
    let noticeSpan = span;
    const next = doc.nextSentence(at);
    if (!notice && next && /\bnotice\b/i.test(doc.flatSlice(next)) && /\b(?:terminat|renew|expir|end)\w*/i.test(doc.flatSlice(next))) {
      notice = noticeIn(f, next);
      noticeSpan = next;
    }
    if (notice) {
      terms.renewalNoticeDays = periodDays(notice);
      terms.clauses.push(doc.clause('notice_period', notice.start, String(terms.renewalNoticeDays), noticeSpan));
    }
  } else if (terms.autoRenew === undefined && (terms.endDate || terms.term)) {
    // A fixed term with no renewal wording does not renew by itself.
    terms.autoRenew = false;
  }

  if (terms.renewalNoticeDays === undefined) {
    // Notice of non-renewal stated on its own.
    for (const m of f.matchAll(/\b(?:not\s+to\s+renew|non-?renewal|intention\s+not\s+to|elect\w*\s+not\s+to\s+(?:renew|extend)|prevent\s+(?:the\s+)?(?:automatic\s+)?renewal)\b/gi)) {
      const span = doc.sentence(m.index);
      const notice = noticeIn(f, span);
      if (notice) {
        terms.renewalNoticeDays = periodDays(notice);
        terms.clauses.push(doc.clause('notice_period', notice.start, String(terms.renewalNoticeDays), span));
        break;
      }
    }
  }
}

/** Reads the notice needed to terminate for convenience (without cause). */
export function extractTerminationNotice(doc: ContractDoc, terms: RenewalTerms): void {
  const f = doc.flat;
  const convenience = /\b(?:for\s+convenience|without\s+cause|for\s+any\s+reason|for\s+no\s+reason|at\s+any\s+time|in\s+its\s+sole\s+discretion|in\s+their\s+sole\s+discretion)\b/gi;
  for (const m of f.matchAll(convenience)) {
    const span = doc.sentence(m.index);
    const sentence = f.slice(span.start, span.end);
    if (!/\bterminat\w*/i.test(sentence) || !/\bnotice\b/i.test(sentence)) continue;
    if (/\b(?:breach|default|insolven\w*|bankrupt\w*)\b/i.test(sentence) && !/without\s+cause|for\s+convenience/i.test(sentence)) continue;
    const notice = periodsIn(f, span).find((p) => p.unit !== 'year' && isNoticePeriod(f, p));
    if (!notice) continue;
    terms.terminationNoticeDays = periodDays(notice);
    terms.clauses.push(doc.clause('termination_notice', notice.start, String(terms.terminationNoticeDays), span));
    return;
  }
}
