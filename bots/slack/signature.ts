// Slack request signing: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:{timestamp}:{raw body}")>`, with
// `X-Slack-Request-Timestamp` within five minutes of now. Compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** The signature Slack would send for `body` at `timestamp` (seconds). */
export function signSlackRequest(signingSecret: string, timestamp: number | string, body: string | Buffer): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`v0:${timestamp}:`);
  mac.update(body);
  return `v0=${mac.digest('hex')}`;
}

/** Checks a request's signature headers against its raw body. */
export function verifySlackSignature(opts: {
  signingSecret: string;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  body: Buffer;
  nowSeconds: number;
}): SignatureCheck {
  const { signature, timestamp } = opts;
  if (!signature || !timestamp) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed X-Slack-Request-Timestamp' };
  if (Math.abs(opts.nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) {
    return { ok: false, reason: 'stale X-Slack-Request-Timestamp (more than 5 minutes from now)' };
  }
  const expected = Buffer.from(signSlackRequest(opts.signingSecret, timestamp, opts.body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
