// `qm autonomy`: each agent's autonomy envelope (granted levels) and the evidence for widening it.
import type { Command } from 'commander';
import { envelopesEvidence } from '../db/approvals.js';
import { listGrants } from '../db/autonomy.js';
import { widening } from '../governance/autonomy.js';
import type { AutonomyLevel } from '../governance/types.js';
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
        const settings = policy.autonomy;
        const grants = await listGrants(rt.database);
        const evidence = await envelopesEvidence(rt.database, settings.widen.window);
        type Row = { agent: string; actionKind: string; category: string; band: string; level: AutonomyLevel; reason: string; cases: number; agreed: number; pending: number };
        const key = (e: { agent: string; actionKind: string; category: string; band: string }) => `${e.agent}|${e.actionKind}|${e.category}|${e.band}`;
        const rows = new Map<string, Row>();
        for (const g of grants) rows.set(key(g), { ...g, cases: 0, agreed: 0, pending: 0 });
        for (const e of evidence) {
          const env = e.envelope as { agent: string; actionKind: string; category: string; band: string };
          const base = rows.get(key(env)) ?? { ...env, level: settings.default, reason: 'default level', cases: 0, agreed: 0, pending: 0 };
          rows.set(key(env), { ...base, cases: e.cases, agreed: e.agreed, pending: e.pending });
        }
        const rate = Number(settings.widen.agreementRate);
        const out = [...rows.values()].map((r) => {
          // The cap is the most generous maxAutonomy among the rules for this action kind.
          const caps = policy.authority.rules.flatMap((rule) =>
            'maxAutonomy' in rule && rule.maxAutonomy && (rule.actions.includes(r.actionKind) || rule.actions.includes('*')) ? [rule.maxAutonomy] : [],
          );
          const cap: AutonomyLevel = caps.includes('autonomous') ? 'autonomous' : caps.includes('act_with_notice') ? 'act_with_notice' : 'recommend';
          const next = widening({ cases: r.cases, agreed: r.agreed }, r.level, cap, settings);
          return {
            ...r,
            cap,
            agreementRate: r.cases > 0 ? r.agreed / r.cases : null,
            nextStep: next
              ? `Eligible to widen to ${next.to}: ${next.reason}`
              : r.level === cap
                ? `At the policy's cap (${cap}).`
                : `Widening needs ${rate * 100}% agreement over at least ${settings.widen.minCases} decided cases.`,
          };
        });
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
