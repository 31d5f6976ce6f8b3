// Policy versions: every authority matrix and autonomy settings in force at some time, by content hash.
import type { Policy } from '../governance/policy.js';
import type { Queryable } from './client.js';

/** The version most recently loaded (by any instance), if any. */
export async function latestPolicyVersion(q: Queryable): Promise<string | undefined> {
  const [row] = await q.query<{ version: string }>(
    `select subject_id as version from audit_events where action = 'policy_loaded' order by seq desc limit 1`,
  );
  return row?.version;
}

/** Keeps the content of a version so decisions made under it can be explained later. */
export async function recordPolicyVersion(q: Queryable, policy: Policy): Promise<void> {
  await q.query(
    `insert into policy_versions (version, authority, autonomy, source) values ($1, $2::jsonb, $3::jsonb, $4) on conflict (version) do nothing`,
    [policy.version, JSON.stringify(policy.authority), JSON.stringify(policy.autonomy), policy.source],
  );
}

/** The stored content of a version. */
export async function policyVersion(q: Queryable, version: string): Promise<{ authority: unknown; autonomy: unknown; source: string; loadedAt: string } | undefined> {
  const [row] = await q.query<{ authority: unknown; autonomy: unknown; source: string; loaded_at: Date }>(
    'select authority, autonomy, source, loaded_at from policy_versions where version = $1',
    [version],
  );
  return row ? { authority: row.authority, autonomy: row.autonomy, source: row.source, loadedAt: new Date(row.loaded_at).toISOString() } : undefined;
}
