// One request to the Bot Framework messaging endpoint, checked in this order before anything is processed:
//   the mode is not off (401); the body is an activity (400); its serviceUrl is one the bot may call (403); the
//   request authenticates (401: any failure to validate the token, a bad signature included, is a refusal).
// Only then does CloudAdapter run the turn (with the result of that authentication, not a second one); an invoke's
// response becomes the HTTP answer.
import { type Activity, CloudAdapter, type TurnContext } from 'botbuilder';
import type { Logger } from '../../src/log.js';
import type { TeamsAuthentication } from './auth.js';

export type BotHttpRequest = { headers: Record<string, string | undefined>; body: unknown };
export type BotHttpResult = { status: number; body?: unknown };

type AuthenticateRequestResult = Awaited<ReturnType<TeamsAuthentication['authentication']['authenticateRequest']>>;

/** CloudAdapter that runs a turn for a request this module has already authenticated. */
export class TeamsAdapter extends CloudAdapter {
  /** Runs `logic` for an authenticated activity; returns the invoke response, if the turn left one. */
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

const refuse = (status: 401 | 403, message: string): BotHttpResult => ({ status, body: { error: status === 401 ? 'unauthorized' : 'forbidden', message } });

/** Timestamps as Date objects, as CloudAdapter.process() gives activities to the turn. */
function asActivity(body: Record<string, unknown>): Activity {
  const activity = { ...body } as Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']] as const) {
    if (typeof activity[field] === 'string') {
      activity[raw] = activity[field];
      activity[field] = new Date(activity[field] as string);
    }
  }
  return activity as unknown as Activity;
}

/** Checks and runs one Bot Framework request; nothing is processed (no turn, no outbound call) unless it passes. */
export async function processBotRequest(
  deps: { adapter: TeamsAdapter; auth: TeamsAuthentication; log: Logger },
  req: BotHttpRequest,
  logic: (context: TurnContext) => Promise<void>,
): Promise<BotHttpResult> {
  const { adapter, auth, log } = deps;
  if (auth.mode === 'off') {
    return refuse(401, 'Teams is not configured: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or QM_TEAMS_DEV=1 for local development).');
  }
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { status: 400, body: { error: 'bad_request', message: 'Send a Bot Framework activity as JSON.' } };
  const { type, serviceUrl } = body as { type?: unknown; serviceUrl?: unknown };
  if (typeof type !== 'string' || type === '') return { status: 400, body: { error: 'bad_request', message: 'Not a Bot Framework activity: no type.' } };
  const refusal = auth.serviceUrl(typeof serviceUrl === 'string' ? serviceUrl : undefined);
  if (refusal) {
    log.warn('teams: an activity was refused: its serviceUrl is not allowed', { reason: refusal });
    return refuse(403, `The activity's serviceUrl is not allowed: ${refusal}.`);
  }
  const activity = asActivity(body as Record<string, unknown>);
  let authenticated: AuthenticateRequestResult;
  try {
    authenticated = await auth.authentication.authenticateRequest(activity, req.headers.authorization ?? '');
  } catch (err) {
    log.warn('teams: an activity was refused: its Bot Framework token is missing or invalid', { error: (err as Error).message?.slice(0, 200) });
    return refuse(401, 'The Bot Framework token is missing or invalid.');
  }
  try {
    const invoke = await adapter.run(authenticated, activity, logic);
    return { status: invoke?.status ?? 200, ...(invoke?.body === undefined ? {} : { body: invoke.body }) };
  } catch (err) {
    // Database and internal errors stay in the log.
    log.error('teams: an activity could not be processed', { type, error: (err as Error).message?.slice(0, 500) });
    return { status: 500, body: { error: 'internal', message: 'Internal error; see the server log.' } };
  }
}
