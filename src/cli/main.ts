// The `qm` command: parses arguments, runs one subcommand, and turns its outcome into an exit code.
import { Command, CommanderError } from 'commander';
import { isAppError } from '../errors.js';
import { version } from '../version.js';
import { registerApprovals } from './approvals.js';
import { registerAsk } from './ask.js';
import { registerAudit } from './audit.js';
import { registerAutonomy } from './autonomy.js';
import { registerDemo } from './demo.js';
import { registerEval } from './eval.js';
import { registerImport } from './import.js';
import { registerMcp } from './mcp.js';
import { registerMetrics } from './metrics.js';
import { registerMonitor } from './monitor.js';
import { registerServe } from './serve.js';
import { registerSourcing } from './sourcing.js';
import { registerTokens } from './tokens.js';
import { registerWeb } from './web.js';

/** Runs `qm` with the given arguments (without node and script) and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('qm')
    .description('Quartermaster: governed, explainable procurement orchestration on your own Postgres.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run qm --help for usage)');
  registerServe(program, setExit);
  registerImport(program, setExit);
  registerDemo(program, setExit);
  registerMcp(program, setExit);
  registerAsk(program, setExit);
  registerEval(program, setExit);
  registerApprovals(program, setExit);
  registerAutonomy(program, setExit);
  registerAudit(program, setExit);
  registerMetrics(program, setExit);
  registerMonitor(program, setExit);
  registerTokens(program, setExit);
  registerSourcing(program, setExit);
  registerWeb(program, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (isAppError(err)) {
      process.stderr.write(`qm: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`qm: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
