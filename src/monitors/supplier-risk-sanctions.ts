// The sanctions half of the supplier-risk monitor: every supplier that is not inactive, under its own name and
// each alias, screened against the latest version of every imported list. A strong match is a critical finding
// keyed by supplier and listed entry (so a newer list version raises only the entries it adds), with the match
// explained, the exposure per currency, and a proposal to put the supplier on hold for compliance to decide.
import type { ScreenableSupplier } from '../db/queries/supplier-risk.js';
import { screenableSuppliers } from '../db/queries/supplier-risk.js';
import { WEAK_ALIAS_FACTOR } from '../screening/name-index.js';
import { type ScreeningMatch, screenNames } from '../screening/screen.js';
import { type Exposure, exposureEvidence, exposureText, loadExposure, nothingAtStake } from './supplier-risk-exposure.js';
import { classifyScreening, type MatchClass } from './supplier-risk-screening.js';
import type { SupplierRiskSettings } from './supplier-risk-settings.js';
import type { FindingInput, MonitorContext } from './types.js';

/** The monitor's name, as findings and proposals carry it. */
export const SUPPLIER_RISK = 'supplier-risk';

// More matches than this per screened name are never needed: each is its own finding.
const MATCHES_PER_NAME = 5;

type Hit = { screened: string; viaAlias: boolean; match: ScreeningMatch; cls: MatchClass };

/** Finding key of a supplier's match with a listed entry. */
export function sanctionsKey(supplierId: string, source: string, entryId: string): string {
  return `sanctions:${supplierId}:${source}:${entryId}`;
}

/** Screens every supplier and alias; one finding per (supplier, listed entry) strong or under review. */
export async function sanctionsFindings(
  ctx: MonitorContext,
  settings: SupplierRiskSettings['sanctions'],
  dates: { today: string; yearAgo: string },
): Promise<FindingInput[]> {
  const { database, log } = ctx;
  const suppliers = await screenableSuppliers(database);
  const names = new Set<string>();
  for (const s of suppliers) {
    names.add(s.name);
    for (const a of s.aliases) names.add(a);
  }
  if (names.size === 0) return [];
  const threshold = Math.min(settings.strongScore, settings.strongScore * WEAK_ALIAS_FACTOR) - 1e-9;
  const { lists, matches } = await screenNames(database, names, { threshold, limit: MATCHES_PER_NAME });
  if (lists.length === 0) {
    log.warn('supplier-risk: no sanctions list is imported, so suppliers were not screened');
    return [];
  }
  const hitsBySupplier = new Map<string, Hit[]>();
  for (const s of suppliers) {
    const best = new Map<string, Hit>();
    for (const [screened, viaAlias] of [[s.name, false] as const, ...s.aliases.map((a) => [a, true] as const)]) {
      for (const match of matches.get(screened) ?? []) {
        const cls = classifyScreening(match, settings);
        if (!cls) continue;
        const key = `${match.list.source}\u0000${match.entryId}`;
        const prior = best.get(key);
        if (!prior || rank(cls, match.score) > rank(prior.cls, prior.match.score)) best.set(key, { screened, viaAlias, match, cls });
      }
    }
    if (best.size > 0) hitsBySupplier.set(s.id, [...best.values()].sort(byStrength));
  }
  if (hitsBySupplier.size === 0) return [];
  const exposure = await loadExposure(database, [...hitsBySupplier.keys()], dates.today, dates.yearAgo, ctx.policy);
  const out: FindingInput[] = [];
  for (const s of suppliers) {
    const hits = hitsBySupplier.get(s.id);
    if (!hits) continue;
    const e = exposure.get(s.id)!;
    // One hold proposal per supplier and run: on its strongest match, and only while it is active.
    const proposer = s.status === 'active' ? hits.find((h) => h.cls === 'strong') : undefined;
    for (const h of hits) out.push(finding(s, h, e, h === proposer));
  }
  return out;
}

function rank(cls: MatchClass, score: number): number {
  return (cls === 'strong' ? 2 : 1) + score;
}

function byStrength(a: Hit, b: Hit): number {
  return (
    rank(b.cls, b.match.score) - rank(a.cls, a.match.score) ||
    a.match.list.source.localeCompare(b.match.list.source) ||
    a.match.entryId.localeCompare(b.match.entryId, 'en', { numeric: true })
  );
}

function finding(s: ScreenableSupplier, h: Hit, e: Exposure, propose: boolean): FindingInput {
  const m = h.match;
  const programs = m.programs.length > 0 ? ` [${m.programs.join(', ')}]` : '';
  const listed =
    m.matchedName.kind === 'primary'
      ? 'its listed name'
      : `its ${m.matchedName.strength} ${m.matchedName.kind === 'aka' ? 'a.k.a.' : m.matchedName.kind} "${m.matchedName.name}"`;
  const who = h.viaAlias ? `${s.name} (recorded as "${h.screened}")` : s.name;
  const strong = h.cls === 'strong';
  const summary =
    `${who} ${strong ? 'strongly matches' : 'matches a weak alias of'} ${m.list.source} ${m.list.version} entry ${m.entryId} ` +
    `${m.entryName}${programs} on ${listed}, score ${m.score.toFixed(2)}: ${m.why.join('; ')}.`;
  const stake = exposureText(e);
  const impact = strong
    ? `Ordering from or paying a listed party can breach sanctions law. Exposure: ${stake}.`
    : `A weak a.k.a. alone is a poor identifier, so this needs a person to check; if it is the same party, dealing with it can breach sanctions law. Exposure: ${stake}.`;
  const recommendation = !strong
    ? 'Compliance: check whether the supplier is the listed party (address, registration or tax number) before further orders or payments; dismiss this finding with the reason if it is not.'
    : s.status === 'active'
      ? "Compliance: compare the entry's identifiers (address, registration or tax number, date of birth) with the supplier's records. If they agree, approve the hold, which stops new purchase orders and payment releases; if not, reject it and dismiss this finding with the reason."
      : `The supplier is already ${s.status.replace('_', ' ')}: keep it so until compliance has cleared or confirmed the match.`;
  const listEntry = { source: m.list.source, version: m.list.version, entryId: m.entryId, name: m.entryName };
  return {
    key: sanctionsKey(s.id, m.list.source, m.entryId),
    severity: strong ? 'critical' : 'high',
    title: `Sanctions ${strong ? 'match' : 'alias match to review'}: ${s.name} — ${m.list.source} entry ${m.entryId} ${m.entryName}`,
    summary,
    impact,
    ...(nothingAtStake(e) ? {} : { amount: { value: e.total.value, currency: e.total.currency } }),
    supplierId: s.id,
    subject: { type: 'supplier', id: s.id },
    evidence: [
      {
        type: 'sanctions_match',
        band: h.cls,
        score: m.score,
        list: m.list,
        entryId: m.entryId,
        entryName: m.entryName,
        entryType: m.entryType,
        programs: m.programs,
        listedName: m.matchedName,
        supplierName: h.screened,
        screened: h.viaAlias ? 'supplier alias' : 'supplier name',
        why: m.why,
        remarks: m.remarks,
      },
      ...exposureEvidence(e),
    ],
    recommendation,
    routeTo: ['compliance'],
    ...(propose
      ? {
          proposal: {
            kind: 'put_supplier_on_hold',
            summary: `Put ${s.name} on hold: it matches ${m.list.source} entry ${m.entryId} ${m.entryName}`,
            proposedBy: `monitor:${SUPPLIER_RISK}`,
            rationale: `${summary} ${impact}`,
            params: { supplierId: s.id, listEntry },
          },
        }
      : {}),
  };
}
