// POST /signals: risk signals from a feed, a script or a person. The body is one signal or an array of them
// ({ supplier, kind, severity 1-5, title, detail?, source?, observedAt?, externalId? }). Every item is checked
// first: one invalid item refuses the request (400, each item's problems listed) and nothing is stored. Valid
// signals are matched to their suppliers and stored once each; the supplier-risk monitor then runs, so the
// answer (202) says what was stored, how each signal scored against its supplier's exposure, and which raised
// a finding and the approval it asked for. Guarded like MCP: bearer QM_MCP_TOKEN, or loopback only.
import type { Hono } from 'hono';
import type { ApprovalService } from '../approvals/service.js';
import type { Database } from '../db/client.js';
import { type SignalInput, type SignalProblem, parseSignal } from '../imports/signals.js';
import type { Logger } from '../log.js';
import { approvalOfFinding, receiveSignals } from '../monitors/signals-intake.js';
import { signalKey } from '../monitors/supplier-risk-signals.js';
import { projectPath } from '../paths.js';
import { type AccessOptions, accessGuard } from './guard.js';
import { jsonOnly, readJson } from './input.js';

export type SignalsDeps = {
  database: Database;
  log: Logger;
  now?: () => Date;
  /** Who may post (bearer QM_MCP_TOKEN or a personal token; loopback only without a token). */
  access: AccessOptions;
  /** Governance for the findings' proposals; without it findings are stored and audited only. */
  approvals?: ApprovalService;
  /** Folder of authority.yaml and monitors.yaml (default: the policies/ folder shipped with the package). */
  policyDir?: string;
};

/** Signals accepted in one request. */
export const MAX_SIGNALS_PER_REQUEST = 1000;

type Outcome = {
  index: number;
  id: string;
  externalId: string | null;
  status: 'stored' | 'duplicate';
  supplier: { id: string; name: string; matchedBy: string; alias?: string } | null;
  unmatched?: { reason: string; candidates: { id: string; name: string }[] };
  score?: { value: number; threshold: number; explanation: string };
  /** Why a signal that scores high still raises nothing (observed before the window). */
  note?: string;
  alert: boolean;
  finding?: {
    id: string;
    key: string;
    severity: string;
    status: string;
    approval?: { number: number; outcome: string; ruleId: string; waitingFor?: unknown };
  };
};

/** Mounts POST /signals on `app`. */
export function mountSignals(app: Hono, deps: SignalsDeps): void {
  const now = deps.now ?? (() => new Date());
  const policyDir = deps.policyDir ?? projectPath('policies');
  const guard = accessGuard({
    ...deps.access,
    refuse: (c, status, message) => c.json({ error: status === 401 ? 'unauthorized' : 'forbidden', message }, status),
  });
  app.post(
    '/signals',
    guard,
    jsonOnly,
    async (c) => {
      const body: unknown = await readJson(c);
      if (body === undefined || body === null || typeof body !== 'object') {
        return c.json(
          { error: 'bad_request', message: 'Send JSON: one signal object, or an array of them, each with supplier, kind, severity (1-5) and title.' },
          400,
        );
      }
      const items: unknown[] = Array.isArray(body) ? body : [body];
      if (items.length === 0) return c.json({ error: 'bad_request', message: 'The array of signals is empty.' }, 400);
      if (items.length > MAX_SIGNALS_PER_REQUEST) {
        return c.json({ error: 'bad_request', message: `At most ${MAX_SIGNALS_PER_REQUEST} signals per request; send the rest in another.` }, 400);
      }
      const at = now();
      const inputs: SignalInput[] = [];
      const problems: SignalProblem[] = [];
      items.forEach((raw, index) => {
        const r = parseSignal(raw, at, 'dmy');
        if (r.ok) inputs.push(r.value);
        else problems.push({ index, errors: r.errors });
      });
      if (problems.length > 0) {
        return c.json(
          {
            error: 'invalid_signals',
            message: `${problems.length} of ${items.length} signal${items.length === 1 ? ' is' : 's are'} invalid; nothing was stored. Fix them and send the request again.`,
            problems,
          },
          400,
        );
      }
      const intake = await receiveSignals(
        { database: deps.database, log: deps.log, now, policyDir, ...(deps.approvals ? { approvals: deps.approvals } : {}) },
        inputs,
        at,
      );
      const { received, scores, windowDays } = intake;
      const report = intake.rescreen?.ok ? intake.rescreen.report : undefined;
      const monitorError =
        intake.rescreen && !intake.rescreen.ok
          ? 'The signals are stored, but the supplier-risk monitor failed; it runs again on schedule. See the server log.'
          : undefined;
      const windowStart = at.getTime() - windowDays * 86_400_000;
      const findings = new Map((report?.findings ?? []).map((f) => [f.key, f]));
      const signals: Outcome[] = received.map((r, index) => {
        const s = r.signal;
        const sc = scores.get(s.id);
        const f = findings.get(signalKey(s.id));
        const approval = f ? approvalOfFinding(f) : undefined;
        return {
          index,
          id: s.id,
          externalId: s.externalId,
          status: r.created ? 'stored' : 'duplicate',
          supplier: r.match.matched
            ? { id: r.match.supplierId, name: r.match.supplierName, matchedBy: r.match.by, ...(r.match.alias ? { alias: r.match.alias } : {}) }
            : null,
          ...(r.match.matched ? {} : { unmatched: { reason: r.match.reason, candidates: r.match.candidates } }),
          ...(sc ? { score: { value: sc.score.score, threshold: sc.score.threshold, explanation: sc.score.explanation } } : {}),
          ...(new Date(s.observedAt).getTime() <= windowStart
            ? { note: `observed before the ${windowDays}-day window of monitors.yaml: stored, but it raises no finding` }
            : {}),
          alert:
            Boolean(f && f.status === 'open') ||
            (report === undefined && Boolean(sc?.score.alert) && new Date(s.observedAt).getTime() > windowStart),
          ...(f ? { finding: { id: f.id, key: f.key, severity: f.severity, status: f.status, ...(approval ? { approval } : {}) } } : {}),
        };
      });
      const stored = signals.filter((s) => s.status === 'stored').length;
      return c.json(
        {
          stored,
          duplicates: signals.length - stored,
          alerts: signals.filter((s) => s.alert).map((s) => ({ index: s.index, id: s.id, finding: s.finding ?? null })),
          signals,
          ...(report ? { monitor: { raised: report.raised, updated: report.updated, unchanged: report.unchanged, resolved: report.resolved } } : {}),
          ...(monitorError ? { monitorError } : {}),
        },
        202,
      );
    },
  );
}
