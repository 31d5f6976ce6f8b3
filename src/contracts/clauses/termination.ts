// The termination family: a party's right to end the contract without cause, by notice alone.
import type { ContractDoc } from '../document.js';
import { PERIOD_SRC } from '../periods.js';
import { type Detector, found, leadIn, lookBehind, sentencesWith } from './scan.js';

// Wording that names a termination without cause outright.
const WITHOUT_CAUSE =
  /\b(?:for\s+(?:its\s+|their\s+|the\s+)?(?:own\s+)?convenience|without\s+(?:any\s+)?(?:cause|reason)|with\s+or\s+without\s+cause|for\s+any\s+reason\s+or\s+(?:for\s+)?no\s+reason|for\s+no\s+reason)\b/gi;
// A right to terminate, as opposed to what happens upon termination: active ("may terminate") or passive ("may be
// terminated by either party").
const RIGHT_TO_TERMINATE =
  /\b(?:(?:may|can|shall\s+(?:have\s+the\s+(?:unilateral\s+)?right|be\s+entitled)\s+to|will\s+have\s+the\s+(?:unilateral\s+)?right\s+to|(?:is|are)\s+entitled\s+to|reserves?\s+the\s+right\s+to|(?:unilateral\s+)?right\s+to|option\s+to|ability\s+to)[\s,]+(?:[\w,]+\s+){0,5}?(?:terminate|cancel)|(?:may|can)\s+(?:also\s+|only\s+)?be\s+(?:\w+\s+)?(?:terminated|cancell?ed)|(?:shall|will)\s+be\s+(?:earlier\s+)?terminated|(?:wishing|wishes|wish|desiring|desires|decides?|elects?|intending|intends)\s+to\s+(?:\w+\s+)?terminate|(?:retains?|has|have|reserves?)\s+the\s+(?:unilateral\s+)?right\b[^.;]{0,150}?\bto\s+(?:\w+\s+){0,2}?terminate|termination\s+by\s+(?:either|any|each)\s+part(?:y|ies)|terminat\w*\s+(?:\(\w{1,4}\)\s+)?at\s+the\s+(?:sole\s+)?option\s+of\s+(?:either|any|each)\s+part(?:y|ies))\b/gi;
const RIGHT_TO_TERMINATE_ONE = new RegExp(RIGHT_TO_TERMINATE.source, 'i');
const NOTICE_PERIOD = new RegExp(
  `\\b(?:upon|by\\s+giving|by\\s+providing|by\\s+delivering|by\\s+serving|on|with|after|giving|providing|give|provide|deliver|serve)\\s+(?:the\\s+other\\s+party\\s+)?(?:at\\s+least\\s+|not\\s+less\\s+than\\s+|no\\s+less\\s+than\\s+|a\\s+minimum\\s+of\\s+)?${PERIOD_SRC}`,
  'i',
);
// Notice alone, however written: "upon prior written notice", "on 60-days written notice", "with a sixty (60)
// written notice", "by providing [*] month's written notice", "at any time in its sole discretion", "at will".
const BY_NOTICE_ALONE =
  /\b(?:upon|on|by|with|after|giving|providing|delivering|serving|give|provide|deliver|serve|send)\b[^.;]{0,60}?\bnotice\b|\bat\s+any\s+time\b|\bat\s+will\b|\b(?:sole|absolute|unfettered)\s+(?:and\s+absolute\s+)?discretion\b|\bat\s+the\s+discretion\s+of\b|\bfor\s+any\s+reason\b/i;
// A condition stated before the right: "If Supplier fails to ..., Customer may terminate".
const CONDITION_BEFORE = /\b(?:if|in\s+the\s+event|upon\s+the\s+occurrence|should|where|breach\w*|default\w*|fail\w*|insolven\w*|bankrupt\w*|for\s+cause)\b/i;
// A termination that needs a cause, or the end of the term (non-renewal), is not termination for convenience.
const CONDITIONAL =
  /\b(?:if|in\s+the\s+event|breach\w*|default\w*|fail\w*|insolven\w*|bankrupt\w*|upon\s+the\s+occurrence|cure\w*|expir\w*|end\s+of\s+the\s+(?:initial\s+|then[-\s]current\s+|renewal\s+)?term|renew\w*|force\s+majeure|change\s+(?:of|in)\s+control|violat\w*|unless|should|voting|(?:from\s+and\s+)?after\s+the\s+(?:time|date)\s+(?:that|when|on\s+which))\b/i;
const NEGATED = /\b(?:not|no|neither|nor|never)\b[^.;]{0,30}$/i;
// "Upon termination of this Agreement for any reason": what follows any termination, not a right.
const AFTERMATH = /\b(?:upon|after|following|on|prior\s+to|in\s+the\s+event\s+of)\s+(?:the\s+|any\s+|such\s+)?(?:expiration\s+or\s+|expiry\s+or\s+)?terminat\w*(?:\s+or\s+(?:expiration|expiry))?\s*$/i;

// The term runs until a party gives notice: "shall continue until either Party informs the other with thirty (30)
// days' prior written notice of termination", "on the 60th day following a written notice of its decision to terminate".
const UNTIL_NOTICE =
  /\buntil\s+(?:either|any|one|each)\s+part(?:y|ies)\b[^.;]{0,100}?\bnotice\b|\bnotice\s+(?:from\s+(?:either|one|any)\s+party\s+to\s+the\s+other\s+)?of\s+(?:its|their|his|her)\s+(?:decision|intention|intent)\s+to\s+terminate\b/gi;
// Where a list of alternative grounds goes on to others: "(i) upon thirty days' notice, or (ii) immediately if ...".
const NEXT_ALTERNATIVE = /;|\bor\s*\(\s*(?:ii|b|2)\s*\)/i;

/** Detects a right to terminate without cause, by notice alone. */
export const detectTermination: Detector = (doc: ContractDoc) => {
  const named = sentencesWith(doc, WITHOUT_CAUSE, (s, at, m) => {
    // A list item ("(c) for convenience, on 30 days' notice") takes its verb from the list's lead-in.
    const lead = /\bterminat\w*|\bcancel\w*/i.test(s) ? '' : leadIn(doc, doc.sentence(m.index).start);
    if (lead === '' && !/\bterminat\w*|\bcancel\w*/i.test(s)) return false;
    if (lead !== '' && !RIGHT_TO_TERMINATE_ONE.test(lead)) return false;
    const before = `${lead} ${lookBehind(s, at, 160)}`;
    if (AFTERMATH.test(before.replace(/\s+(?:of\s+)?(?:this|the)\s+(?:agreement|contract)\s*$/i, ''))) return false;
    // "shall not be entitled to terminate ... for convenience": the right is denied.
    if (/\b(?:not|no|neither|nor|never|cannot)\b[^.;]{0,50}\bterminat\w*[^.;]{0,80}$/i.test(before)) return false;
    const right = [...before.matchAll(RIGHT_TO_TERMINATE)].pop();
    if (right && NEGATED.test(lookBehind(before, right.index, 40))) return false;
    // "for any reason" alone is too common in aftermath clauses: it needs a right to terminate before it.
    return right !== undefined || /convenience|without\s+(?:any\s+)?cause|with\s+or\s+without/i.test(s.slice(at, at + 30));
  });
  const byNotice = sentencesWith(doc, RIGHT_TO_TERMINATE, (s, at, m) => {
    if (NEGATED.test(lookBehind(s, at, 40))) return false;
    const after = s.slice(at + m[0].length, at + m[0].length + 250);
    const notice = NOTICE_PERIOD.exec(after) ?? BY_NOTICE_ALONE.exec(after);
    if (!notice) return false;
    if (NOTICE_PERIOD.test(notice[0]) && !/notice/i.test(after.slice(notice.index, notice.index + notice[0].length + 60))) return false;
    // No condition anywhere in the sentence ("upon notice if there is a change of control"); "prior to expiration of
    // the Term" only says when the right may be used.
    // Conditions are read from the right onward, up to the next alternative ground.
    const rest = s.slice(at);
    const next = NEXT_ALTERNATIVE.exec(rest.slice(m[0].length + notice.index + notice[0].length));
    const scope = next ? rest.slice(0, m[0].length + notice.index + notice[0].length + next.index) : rest;
    // and before it, back to the start of its clause ("...(the "Term"); provided that X may terminate ...").
    const clause = s.slice(0, at).split(/;|\bprovided\b,?\s*(?:however,?\s*)?(?:that\b)?/i).pop()!;
    if (CONDITIONAL.test(scope.replace(/\bprior\s+to\s+(?:the\s+)?expiration\s+of\s+the\s+term\b/gi, '')) || CONDITION_BEFORE.test(clause)) return false;
    // Ending one obligation is not ending the contract.
    if (/^\s*(?:its|their|his|her|the|such|any)\s+(?:\w+\s+){0,2}?obligations?\b/i.test(s.slice(at + m[0].length))) return false;
    // Notice of non-renewal at the end of a term is not termination for convenience.
    return !/\brenew\w*|\bend\s+of\s+the\s+(?:initial\s+|then[-\s]current\s+|renewal\s+)?term\b/i.test(s.slice(at, at + m[0].length + notice.index + notice[0].length + 80));
  });
  const untilNotice = sentencesWith(doc, UNTIL_NOTICE, (s) => !CONDITIONAL.test(s.replace(/\bunless\b/gi, '')) && !NEGATED.test(s.slice(0, 40)));
  const spans = [...named, ...byNotice, ...untilNotice]
    .filter((x, i, all) => all.findIndex((y) => y.start === x.start) === i)
    .sort((a, b) => a.start - b.start);
  return { termination_for_convenience: found(spans.slice(0, 5)) };
};

