// Runs every benchmark listed in BENCHES one after another; each prints one JSON line of figures.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BENCHES = ['import.ts', 'analytics.ts', 'mcp.ts', 'orchestrator.ts', 'contract-extraction.ts', 'clauses.ts', 'cuad-spans.ts', 'audit.ts', 'approvals.ts', 'slack.ts', 'instances.ts', 'screening.ts', 'forecast.ts', 'sourcing.ts'];
let failed = 0;
for (const b of BENCHES) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, b)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
