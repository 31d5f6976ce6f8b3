// The signed-in person of a web request, with the CSRF token their forms carry, and the same person as the chat
// core sees them (a web person is always a matched user: only users can sign in).
import type { Context } from 'hono';
import type { WebPrincipal } from '../access/web-sessions.js';
import type { ChatPerson } from '../chat/people.js';

export type SignedIn = { principal: WebPrincipal; csrf: string };

/** The request's signed-in person, or undefined (the page then sends them to sign in). */
export type Signed = (c: Context) => SignedIn | undefined;

/** The person as the chat core's ask and decide workflows take them. */
export function webPerson(p: WebPrincipal): ChatPerson {
  return { platform: 'web', externalId: p.user.id, name: p.user.name, email: p.user.email, user: p.user };
}
