// Policy versions: every authority matrix and autonomy settings in force at some time, by content hash.
import type { Policy } from '../governance/policy.js';
import { desc, eq } from 'drizzle-orm';
import type { Database, Session } from './client.js';
import { auditEvents, policyVersions } from './schema.js';

/** The version most recently loaded (by any instance), if any. */
export async function latestPolicyVersion(database: Database): Promise<string | undefined> {
  const [row] = await database.db
    .select({ version: auditEvents.subjectId })
    .from(auditEvents)
    .where(eq(auditEvents.action, 'policy_loaded'))
    .orderBy(desc(auditEvents.seq))
    .limit(1);
  return row?.version ?? undefined;
}

/** Keeps the content of a version so decisions made under it can be explained later. */
export async function recordPolicyVersion(q: Session, policy: Policy): Promise<void> {
  await q.db
    .insert(policyVersions)
    .values({ version: policy.version, authority: { ...policy.authority }, autonomy: { ...policy.autonomy }, source: policy.source })
    .onConflictDoNothing({ target: policyVersions.version });
}

/** The stored content of a version. */
export async function policyVersion(database: Database, version: string): Promise<typeof policyVersions.$inferSelect | undefined> {
  const [row] = await database.db.select().from(policyVersions).where(eq(policyVersions.version, version)).limit(1);
  return row;
}
