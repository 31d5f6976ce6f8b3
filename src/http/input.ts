// Reading request input safely: JSON routes take only application/json (a browser cannot send that cross-origin
// without a CORS preflight, which this server never grants), and text with a NUL character is refused up front
// with 400, because Postgres cannot store it and a half-processed request must not be left behind.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

function refusal(status: 400 | 415, error: string, message: string): HTTPException {
  return new HTTPException(status, {
    message,
    res: new Response(JSON.stringify({ error, message }), { status, headers: { 'content-type': 'application/json' } }),
  });
}

/** True for application/json and the structured +json types. */
export function isJsonContentType(value: string | undefined): boolean {
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Middleware for JSON routes: 415 unless the body is declared application/json. */
export async function jsonOnly(c: Context, next: () => Promise<void>): Promise<Response | undefined> {
  if (!isJsonContentType(c.req.header('content-type'))) {
    throw refusal(415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
  }
  await next();
  return undefined;
}

/** Where in a JSON value the first string containing NUL is ("$.items[2].title"), if any. */
export function findNul(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = findNul(value[i], `${path}[${i}]`);
      if (at) return at;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return `${path} (a key)`;
      const at = findNul(v, `${path}.${k}`);
      if (at) return at;
    }
  }
  return undefined;
}

/**
 * The request's JSON body, or undefined when it is not valid JSON (each route explains what it expects).
 * Throws 400 when any string in it contains a NUL character.
 */
export async function readJson(c: Context): Promise<unknown> {
  const body: unknown = await c.req.json().catch(() => undefined);
  const at = findNul(body);
  if (at) throw refusal(400, 'bad_request', `Text may not contain NUL characters (\\u0000); found one at ${at}.`);
  return body;
}

/** Middleware for every route: 400 when the path or query carries a NUL character (%00). */
export async function noNulInUrl(c: Context, next: () => Promise<void>): Promise<Response | undefined> {
  if (/%00|\u0000/i.test(c.req.url)) {
    throw refusal(400, 'bad_request', 'The URL may not contain NUL characters (%00).');
  }
  await next();
  return undefined;
}
