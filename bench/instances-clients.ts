// The clients bench/instances.ts plays, each speaking to the app as the real one does, through the dispatcher: Slack
// (signed events and approval-button clicks), Teams (Bot Framework activities with a JWT from the local token
// signer), a person's HTTP client (the approvals API with a personal token) and an MCP host (streamable HTTP with a
// personal token). Each request is timed and counted per kind and per phase of the run.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { APPROVE_ACTION } from '../bots/slack/blocks/ids.js';
import { TEAMS_MESSAGES_PATH } from '../src/http/teams.js';
import { invokeActivity, type TeamsMember } from '../test/fakes/bot-connector.js';
import type { FakeTokenSigner } from '../test/fakes/bot-framework-tokens.js';
import { buttonClick, interactivityBody, slackHeaders } from '../test/fakes/slack-api.js';

export type Phase = 'before' | 'during' | 'after';
export const PHASES: readonly Phase[] = ['before', 'during', 'after'];
export type Kind = 'slack_event' | 'teams_invoke' | 'mcp_call' | 'decision_slack' | 'decision_teams' | 'decision_api';

/** Per phase and kind: requests answered as the client expects, failed ones (by reason), and latencies of the answered. */
export function createStats() {
  const table = new Map<string, { ok: number; errors: Map<string, number>; ms: number[] }>();
  const cell = (p: Phase, k: Kind) => {
    const key = `${p}/${k}`;
    const c = table.get(key) ?? { ok: 0, errors: new Map<string, number>(), ms: [] };
    table.set(key, c);
    return c;
  };
  const pct = (xs: number[], p: number) => {
    if (xs.length === 0) return null;
    const s = [...xs].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
  };
  return {
    ok(p: Phase, k: Kind, ms: number) {
      const c = cell(p, k);
      c.ok++;
      c.ms.push(ms);
    },
    error(p: Phase, k: Kind, reason: string) {
      const errors = cell(p, k).errors;
      errors.set(reason, (errors.get(reason) ?? 0) + 1);
    },
    /** One phase's figures per kind: answered per second, p50/p99 latency (ms), errors and their reasons. */
    summary(p: Phase, seconds: number) {
      const out: Record<string, { answered: number; per_s: number; p50_ms: number | null; p99_ms: number | null; errors: number; error_reasons?: Record<string, number> }> = {};
      for (const [key, c] of table) {
        const [phase, kind] = key.split('/') as [Phase, Kind];
        if (phase !== p) continue;
        const errors = [...c.errors.values()].reduce((a, b) => a + b, 0);
        out[kind] = {
          answered: c.ok,
          per_s: Math.round((c.ok / seconds) * 10) / 10,
          p50_ms: pct(c.ms, 50),
          p99_ms: pct(c.ms, 99),
          errors,
          ...(errors > 0 ? { error_reasons: Object.fromEntries(c.errors) } : {}),
        };
      }
      return out;
    },
  };
}

/** Why a request's answer was not the one expected, in a few words (an HTTP answer, a Teams invoke's, an MCP tool's). */
export function reasonOf(r: unknown): string {
  if (r instanceof Error) return r.message.slice(0, 80);
  const x = r as { status?: number; slot?: number; text?: string; failure?: string; isError?: boolean; content?: { text?: string }[] };
  if (x.status !== undefined) {
    if (x.slot === -1) return `not relayed: ${x.failure ?? x.status}`;
    const invoke = x.status === 200 && x.text ? (JSON.parse(x.text) as { statusCode?: number }).statusCode : undefined;
    return invoke !== undefined ? `invoke ${invoke}` : `${x.status} from an instance`;
  }
  if (x.isError) return `tool error: ${(x.content?.[0]?.text ?? '').slice(0, 80)}`;
  return 'unexpected answer';
}

/** A POST through the dispatcher: status, body and the instance slot that answered (-1: none did). */
export async function send(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string; slot: number; failure?: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { ...headers, connection: 'close' }, body });
    const text = await res.text();
    const failure = res.headers.get('x-bench-failure'); // the dispatcher could not relay: why
    return { status: res.status, text, slot: Number(res.headers.get('x-bench-instance') ?? -1), ...(failure ? { failure } : {}) };
  } catch (err) {
    return { status: 0, text: '', slot: -1, failure: `client: ${((err as Error).cause as { code?: string } | undefined)?.code ?? (err as Error).message}` };
  }
}

export type Clients = {
  base: string;
  slack: { secret: string; teamId: string };
  teams: { signer: FakeTokenSigner; appId: string; serviceUrl: string };
};

/** Mia clicks Approve on her Slack card (block_actions); Slack counts a 200 as delivered. */
export function slackApprove(c: Clients, slackUserId: string, approvalId: string) {
  const body = interactivityBody(
    buttonClick({ teamId: c.slack.teamId, userId: slackUserId, channel: 'D0BENCHMIA', message: { ts: `${Date.now() / 1000}` }, actionId: APPROVE_ACTION, value: approvalId }),
  );
  return send(`${c.base}/slack/events`, slackHeaders(c.slack.secret, body, { contentType: 'application/x-www-form-urlencoded' }), body);
}

/** An Action.Execute on an approval card in Teams (a decision, or `refresh`), with the channel's JWT. */
export function teamsInvoke(c: Clients, from: TeamsMember, verb: string, approval: { id: string; number: number }) {
  const conversation = { kind: 'personal' as const, id: `a:1personal-${from.aadObjectId}` };
  const activity = invokeActivity(c.teams.serviceUrl, from, conversation, { verb, data: { qm: 'approval', approvalId: approval.id, number: approval.number } }, { trigger: verb === 'refresh' ? 'automatic' : 'manual' });
  const token = c.teams.signer.token({ audience: c.teams.appId, serviceUrl: c.teams.serviceUrl });
  return send(`${c.base}${TEAMS_MESSAGES_PATH}`, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, JSON.stringify(activity));
}

/** A decision through the approvals API with the decider's personal token. */
export function apiApprove(c: Clients, token: string, approvalId: string) {
  return send(`${c.base}/api/approvals/${approvalId}/decisions`, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, JSON.stringify({ decision: 'approve' }));
}

/**
 * An MCP host connected to the spend server with a personal token (stateless: any instance answers any call).
 * `failure()` says why the last call's HTTP request failed (the SDK's error does not: a status and an empty body).
 */
export async function mcpClient(c: Clients, token: string): Promise<{ client: Client; failure(): string | undefined }> {
  let last: string | undefined;
  const fetchNoting: typeof fetch = async (input, init) => {
    last = undefined;
    try {
      const res = await fetch(input, init);
      if (!res.ok) last = res.headers.get('x-bench-failure') ? `not relayed: ${res.headers.get('x-bench-failure')}` : `${res.status} from an instance`;
      return res;
    } catch (err) {
      last = `client: ${((err as Error).cause as { code?: string } | undefined)?.code ?? (err as Error).message}`;
      throw err;
    }
  };
  const client = new Client({ name: 'bench-instances', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${c.base}/mcp/spend`), { fetch: fetchNoting, requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return { client, failure: () => last };
}
