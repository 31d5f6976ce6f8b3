// How `qm approvals` reaches the approvals: opening the database itself, or — when a running `qm serve` holds
// the embedded database — through that server's /api/approvals.
import type { DecisionRequest } from '../approvals/decide.js';
import type { Approval } from '../approvals/types.js';
import { loadConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { createApp } from '../runtime.js';
import { operatorCredential, runningServer } from './server-info.js';

export type DecisionOutcome = { status: string; message: string; approval?: Approval; execution?: { status: string; summary: string; kind: string; result?: Record<string, unknown> } };

export type ApprovalsAccess = {
  list(f: { status?: string; approvableBy?: string; limit?: number }): Promise<Approval[]>;
  get(ref: string): Promise<Approval | undefined>;
  decide(req: DecisionRequest): Promise<DecisionOutcome>;
  close(): Promise<void>;
};

/** Local access when the database can be opened, else the running server's API. */
export async function openApprovalsAccess(purpose: string): Promise<ApprovalsAccess> {
  try {
    const rt = await createApp(loadConfig(), { purpose: purpose, quiet: true });
    return {
      list: async (f) => (await rt.approvals()).list(f),
      get: async (ref) => (await rt.approvals()).get(ref),
      decide: async (req) => (await rt.approvals()).decide(req),
      close: () => rt.close(),
    };
  } catch (err) {
    const config = loadConfig();
    const server = !config.database.url && isAppError(err, 'db:locked') ? runningServer(config.database.dataDir) : undefined;
    if (!server) throw err;
    return remoteAccess(server.url, operatorCredential(config.database.dataDir, config.mcp.token));
  }
}

function remoteAccess(url: string, token: string | undefined): ApprovalsAccess {
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body };
  };
  const refused = (status: number, body: Record<string, unknown>) =>
    new AppError('approvals:server', `The running server at ${url} refused (HTTP ${status}): ${String(body.message ?? '')}`);
  return {
    async list(f) {
      const q = new URLSearchParams();
      if (f.status) q.set('status', f.status);
      if (f.approvableBy) q.set('as', f.approvableBy);
      if (f.limit) q.set('limit', String(f.limit));
      const r = await call(`/api/approvals?${q}`);
      if (r.status !== 200) throw refused(r.status, r.body);
      return r.body.approvals as Approval[];
    },
    async get(ref) {
      const r = await call(`/api/approvals/${encodeURIComponent(ref)}`);
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw refused(r.status, r.body);
      return r.body as unknown as Approval;
    },
    async decide(req) {
      const r = await call(`/api/approvals/${encodeURIComponent(req.approval)}/decisions`, {
        method: 'POST',
        body: JSON.stringify({ as: req.user, decision: req.decision, ...(req.reason ? { reason: req.reason } : {}) }),
      });
      if (![200, 403, 404, 409].includes(r.status)) throw refused(r.status, r.body);
      return r.body as unknown as DecisionOutcome;
    },
    async close() {},
  };
}
