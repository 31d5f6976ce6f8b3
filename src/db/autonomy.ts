// Autonomy grants: the level each agent holds per action kind × category × amount band.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AutonomyLevel, EnvelopeKey } from '../governance/types.js';
import type { Session } from './client.js';
import { autonomyGrants } from './schema.js';

export type Grant = EnvelopeKey & { level: AutonomyLevel; reason: string; updatedAt: string };

const keyIs = (key: EnvelopeKey) =>
  and(
    eq(autonomyGrants.agent, key.agent),
    eq(autonomyGrants.actionKind, key.actionKind),
    eq(autonomyGrants.category, key.category),
    eq(autonomyGrants.band, key.band),
  );

/** Every grant, for lookups during a decision and for `qm autonomy`. */
export async function listGrants(q: Session): Promise<Grant[]> {
  const rows = await q.db
    .select()
    .from(autonomyGrants)
    .orderBy(asc(autonomyGrants.agent), asc(autonomyGrants.actionKind), asc(autonomyGrants.category), asc(autonomyGrants.band));
  return rows.map(({ agent, actionKind, category, band, level, reason, updatedAt }) => ({
    agent,
    actionKind,
    category,
    band,
    level,
    reason,
    updatedAt: updatedAt.toISOString(),
  })) as Grant[];
}

/** The granted level for one key (undefined: none granted). */
export async function grantOf(q: Session, key: EnvelopeKey): Promise<AutonomyLevel | undefined> {
  const [row] = await q.db.select({ level: autonomyGrants.level }).from(autonomyGrants).where(keyIs(key)).limit(1);
  return row?.level;
}

/** Sets the level for a key; returns the previous level. Locks the row so concurrent changes serialise. */
export async function setGrant(q: Session, key: EnvelopeKey, level: AutonomyLevel, reason: string): Promise<AutonomyLevel | undefined> {
  const [prev] = await q.db.select({ level: autonomyGrants.level }).from(autonomyGrants).where(keyIs(key)).for('update');
  await q.db
    .insert(autonomyGrants)
    .values({ ...key, level, reason })
    .onConflictDoUpdate({
      target: [autonomyGrants.agent, autonomyGrants.actionKind, autonomyGrants.category, autonomyGrants.band],
      set: { level, reason, updatedAt: sql`now()` },
    });
  return prev?.level;
}
