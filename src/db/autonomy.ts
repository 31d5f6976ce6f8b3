// Autonomy grants: the level each agent holds per action kind × category × amount band.
import type { AutonomyLevel, EnvelopeKey } from '../governance/types.js';
import type { Queryable } from './client.js';

export type Grant = EnvelopeKey & { level: AutonomyLevel; reason: string; updatedAt: string };

/** Every grant, for lookups during a decision and for `qm autonomy`. */
export async function listGrants(q: Queryable): Promise<Grant[]> {
  const rows = await q.query<Grant & { updatedAt: Date | string }>(
    `select agent, action_kind as "actionKind", category, band, level, reason, updated_at as "updatedAt" from autonomy_grants
      order by agent, action_kind, category, band`,
  );
  return rows.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() }));
}

/** The granted level for one key (undefined: none granted). */
export async function grantOf(q: Queryable, key: EnvelopeKey): Promise<AutonomyLevel | undefined> {
  const [row] = await q.query<{ level: AutonomyLevel }>(
    'select level from autonomy_grants where agent = $1 and action_kind = $2 and category = $3 and band = $4',
    [key.agent, key.actionKind, key.category, key.band],
  );
  return row?.level;
}

/** Sets the level for a key; returns the previous level. Locks the row so concurrent changes serialise. */
export async function setGrant(q: Queryable, key: EnvelopeKey, level: AutonomyLevel, reason: string): Promise<AutonomyLevel | undefined> {
  const [prev] = await q.query<{ level: AutonomyLevel }>(
    'select level from autonomy_grants where agent = $1 and action_kind = $2 and category = $3 and band = $4 for update',
    [key.agent, key.actionKind, key.category, key.band],
  );
  await q.query(
    `insert into autonomy_grants (agent, action_kind, category, band, level, reason) values ($1, $2, $3, $4, $5, $6)
     on conflict (agent, action_kind, category, band) do update set level = excluded.level, reason = excluded.reason, updated_at = now()`,
    [key.agent, key.actionKind, key.category, key.band, level, reason],
  );
  return prev?.level;
}
