// `qm autonomy`: each agent's autonomy envelope (granted levels) and the evidence for widening it.
import type { Command } from 'commander';
import { autonomyReport } from '../governance/autonomy-report.js';
import { createApp } from '../runtime.js';
import { loadConfig } from '../config.js';

/** Adds the autonomy command. */
export function registerAutonomy(program: Command, setExit: (code: number) => void): void {
  program
    .command('autonomy')
    .description('Show each agent’s autonomy envelope and the agreement evidence behind it')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const rt = await createApp(loadConfig(), { purpose: 'qm autonomy', quiet: true });
      try {
        const { policy } = await rt.approvals();
        const { settings, envelopes: out } = await autonomyReport(rt.database, policy);
        const rate = Number(settings.widen.agreementRate);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ policyVersion: policy.version, settings, envelopes: out })}\n`);
        } else {
          const lines = [
            `Autonomy (policy ${policy.version.slice(0, 19)}): default ${settings.default}; widening needs ${rate * 100}% agreement over ≥ ${settings.widen.minCases} of the last ${settings.widen.window} decided cases, and an approval.`,
          ];
          if (out.length === 0) lines.push('No agent has proposed anything yet: every envelope is at the default level.');
          for (const r of out) {
            const measured = r.agreementRate === null ? 'no decided cases' : `${r.agreed}/${r.cases} agreed (${(r.agreementRate * 100).toFixed(1)}%)`;
            lines.push(`  ${r.agent} · ${r.actionKind} · ${r.category} · ${r.band}: ${r.level} (cap ${r.cap}) — ${measured}; ${r.pending} pending. ${r.nextStep}`);
          }
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        setExit(0);
      } finally {
        await rt.close();
      }
    });
}
