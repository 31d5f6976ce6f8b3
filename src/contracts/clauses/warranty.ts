// The warranty family: how long a warranty against defects in the goods, software or services runs.
import type { ContractDoc } from '../document.js';
import { PERIOD_SRC, periodAt, periodText } from '../periods.js';
import { type ClauseSpan, type Detector, dedupe, sentencesWith } from './scan.js';

const WARRANTY = /\bwarrant(?:y|ies|s|ed)?\b|\bguarantee(?:s|d)?\b/gi;
// A warranty against defects, not a representation about the party or a guarantee of payment.
const DEFECT_CONTEXT =
  /\bdefect\w*|\bfree\s+(?:from|of)\b|\bworkmanship\b|\bmaterials?\b|\bconform\w*|\bspecifications?\b|\bperform\w*\s+(?:substantially|in\s+accordance)|\brepair\w*|\breplace\w*|\berrors?\b|\bfault\w*|\bwarranty\s+period\b|\bmalfunction\w*|\bbugs?\b|\bshelf[-\s]life\b|\bmerchantab\w*/i;
// A warranty period named as such: "the Warranty Period", "such warranty shall commence upon shipment".
const WARRANTY_TERM =
  /\bwarranty\s+periods?\b|\bperiod\s+of\s+(?:the\s+)?warranty\b|\bwarrant(?:y|ies)\s+(?:shall|will)\s+(?:commence|begin|start|continue|expire|end|run|last)\b|\bwarranty\s+(?:\w+\s+){0,3}?(?:for|of)\s+a\s+(?:minimum|maximum)\b/gi;
// A warranty running between two events rather than for a length: "for the period from the date of manufacture to
// the expiry date", "starting from the date the Product is received ... and ending after".
const WARRANTY_SPAN = /\b(?:for\s+the\s+period|starting|commencing|beginning)\s+(?:from|on|upon|with)\b[^.;]{0,200}?\b(?:to|until|through|ending|expiring)\b/i;
// A length withheld from the filed copy ("for [*] months", "a period of [***] from shipment") is still a length.
const REDACTED_PERIOD =
  /(?:\[[^\]]{0,16}\*[^\]]{0,16}\]\s*)+(?:\([^)]{0,16}\)\s*)?(?:(?:calendar|business|working)\s+)?(?:days?|weeks?|months?|years?)\b|\bperiod\s+(?:of|equal\s+to)\s+(?:the\s+(?:longer|shorter|later|earlier)\s+of\s+\(\w+\)\s+)?(?:\[[^\]]{0,16}\*[^\]]{0,16}\]\s*)+/i;
const NOT_A_PRODUCT_WARRANTY = /\bsurviv\w*|\bconfidential\w*|\bstatute\s+of\s+limitations?\b|\bin\s+business\b|\bpayment\s+guarantee|\bguarantee\s+(?:the\s+)?payment/i;
const PERIOD = new RegExp(PERIOD_SRC, 'gi');
// How long the warranty lasts ("for a period of 12 months", "a 24-month warranty", "one year from delivery"), as
// opposed to a deadline that happens to sit in a warranty sentence ("will complete the work within 6 months").
const LASTING_BEFORE = /\b(?:for|of|during|lasting|up\s+to|until|shelf\s+life\s+of\s+at\s+least)\s+(?:a\s+(?:period|term)\s+of\s+)?(?:the\s+)?(?:first\s+)?(?:an?\s+)?$/i;
const LASTING_AFTER =
  /^\s*(?:limited\s+)?(?:warranty|guarantee)|^\s*(?:after|from|following)\s+(?:the\s+)?(?:(?:date|time)\s+of\s+)?(?:(?:its|their)\s+)?(?:delivery|shipment|installation|acceptance|receipt|completion|purchase|sale|invoice|performance)/i;
// A window for reporting defects after delivery works as a warranty period.
const DEFECT_WINDOW = new RegExp(
  `\\b(?:within|for|have)\\s+(?:a\\s+period\\s+of\\s+)?(?:${PERIOD_SRC}|(?:\\[[^\\]]{0,16}\\*[^\\]]{0,16}\\]\\s*)+(?:\\([^)]{0,16}\\)\\s*)?(?:calendar\\s+|business\\s+)?(?:days?|weeks?|months?))\\s+(?:\\([^)]{0,40}\\)\\s+)?(?:after|from|following|of|upon)\\s+(?:the\\s+)?(?:(?:later|earlier)\\s+of\\s+)?(?:date\\s+of\\s+)?(?:(?:its|their|the|\\w+'s)\\s+)?(?:(?:initial|first|actual)\\s+)?(?:receipt|delivery|shipment|installation|acceptance|completion|arrival)\\b(?!\\s+of\\s+(?:an?\\s+|the\\s+)?invoice)`,
  'gi',
);

// What the window is for: finding defects or reporting damage; rejecting or inspecting counts only for goods
// delivered (accepting or rejecting a service is acceptance, not a warranty).
const WINDOW_CONTEXT = /\bdefect\w*|\bnon-?conform\w*|\bnot\s+in\s+conformity\b|\bdamaged\b|\bdiscrepanc\w*/i;
const GOODS_CHECKED = /\breject\w*|\brevocation\s+of\s+acceptance\b|\binspect\w*/i;
const GOODS = /\bproducts?\b|\bgoods\b|\bshipments?\b|\bunits?\b|\bequipment\b|\bbatch\w*|\bmaterials?\b/i;

/** Detects a warranty period and reads its length ("12 months"). */
export const detectWarranty: Detector = (doc: ContractDoc) => {
  let value: string | undefined;
  const warranted = sentencesWith(doc, WARRANTY, (s, at) => {
    if (!DEFECT_CONTEXT.test(s) || NOT_A_PRODUCT_WARRANTY.test(s)) return false;
    const near = s.slice(Math.max(0, at - 60), at + 260);
    // A few days is a window for notices, not a warranty, unless the text calls it the warranty period.
    const period = [...near.matchAll(PERIOD)]
      .map(periodAt)
      .find(
        (p) =>
          (p.unit !== 'day' || p.n >= 30 || /\bwarranty\s+period\b/i.test(near)) &&
          (LASTING_BEFORE.test(near.slice(Math.max(0, p.start - 30), p.start)) || LASTING_AFTER.test(near.slice(p.end, p.end + 60))),
      );
    if (!period) return false;
    value ??= periodText(period);
    return true;
  });
  // Sentences that name the warranty period, or withhold its length, without stating one.
  const named = sentencesWith(doc, WARRANTY_TERM, (s) => !NOT_A_PRODUCT_WARRANTY.test(s));
  const between = sentencesWith(doc, WARRANTY, (s) => DEFECT_CONTEXT.test(s) && !NOT_A_PRODUCT_WARRANTY.test(s) && WARRANTY_SPAN.test(s));
  const redacted = sentencesWith(doc, WARRANTY, (s, at) => DEFECT_CONTEXT.test(s) && !NOT_A_PRODUCT_WARRANTY.test(s) && REDACTED_PERIOD.test(s.slice(Math.max(0, at - 60), at + 260)));
  warranted.push(...named, ...between, ...redacted);
  const windows: ClauseSpan[] = [];
  if (warranted.length === 0) {
    windows.push(
      ...sentencesWith(doc, DEFECT_WINDOW, (s, _at, m) => {
        if (!WINDOW_CONTEXT.test(s) && !(GOODS_CHECKED.test(s) && GOODS.test(s))) return false;
        const period = new RegExp(PERIOD_SRC, 'i').exec(m[0]);
        if (period) value ??= periodText(periodAt(period));
        return true;
      }, 2),
    );
  }
  const spans = dedupe([...warranted, ...windows]);
  return spans.length > 0 ? { warranty_duration: { spans, value } } : {};
};
