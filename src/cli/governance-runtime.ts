// Opens what the governance commands need: the runtime plus the approvals service (jobs scheduled, not worked).
import { type ApprovalService, openApprovalService } from '../approvals/service.js';
import { openRuntime, type Runtime } from '../runtime.js';

export type GovernanceRuntime = Runtime & { approvals: ApprovalService };

/** The approvals service a CLI command uses on an open runtime: it schedules jobs but does not work them. */
export function openCliApprovals(rt: Runtime): Promise<ApprovalService> {
  return openApprovalService({
    database: rt.database,
    log: rt.log,
    policy: { dir: rt.config.policyDir },
    jobs: rt.config.jobs ? 'send' : 'off',
    ...(rt.config.database.url ? { databaseUrl: rt.config.database.url } : {}),
  });
}

/** Runtime + approvals for a CLI command; close() closes both. */
export async function openGovernanceRuntime(purpose: string): Promise<GovernanceRuntime> {
  const rt = await openRuntime(purpose, { quiet: true });
  try {
    const approvals = await openCliApprovals(rt);
    return {
      ...rt,
      approvals,
      async close() {
        await approvals.close();
        await rt.close();
      },
    };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
