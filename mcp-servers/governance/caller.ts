// The person a governance tool answers for: the server's caller, looked up as a Quartermaster user. Never a name
// from the tool's arguments, so nobody can read another person's queue by naming them.
import type { Approver } from '../../src/approvals/types.js';
import { findUser } from '../../src/db/approvals.js';
import type { McpCaller, McpDeps } from '../shared/deps.js';

export type CallerView = { caller: McpCaller; user: Approver | undefined; label: string };

/** The caller and, for a person, their active user record (undefined when unknown or inactive). */
export async function callerView(deps: McpDeps): Promise<CallerView> {
  const caller = deps.caller ?? { kind: 'operator' };
  if (caller.kind !== 'person') return { caller, user: undefined, label: caller.kind === 'operator' ? 'the operator' : 'an anonymous caller' };
  const found = await findUser(deps.database, caller.email);
  return { caller, user: found?.active ? found : undefined, label: caller.email };
}

/** The caller as tools echo it. */
export function callerEcho(v: CallerView): { kind: McpCaller['kind']; email: string | null; known_user: boolean } {
  return { kind: v.caller.kind, email: v.caller.kind === 'person' ? v.caller.email : null, known_user: v.user !== undefined };
}
