// The local operator and personal tokens as a user meets them: `qm serve` writes a local credential only its
// own account can read; `qm ask --as` and `qm tokens` go through the running server with it; a token acts as
// its user until revoked; anyone else on loopback cannot act as anybody.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';

const qm = projectPath('bin', 'qm.js');
const D = 'demo.quartermaster.dev';

/** fetch on a fresh connection: a kept-alive one may be closed by the server's idle timeout as it is reused. */
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers: { ...headers, connection: 'close' } });

describe('qm tokens and the local credential', () => {
  it('issues, uses and revokes a personal token through the running server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qm-tokens-'));
    const env = { ...process.env, DATABASE_URL: '', QM_MCP_TOKEN: '', QM_DATA_DIR: join(dir, 'db'), PORT: '0', QM_LOG_LEVEL: 'info', QM_JOBS: 'off' };
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [qm, ...args], { env: { ...env, QM_LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 120_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const server = spawn(process.execPath, [qm, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 150_000);
        server.stderr!.on('data', (d) => {
          log += d;
          const m = /listening on (http:\/\/\S+)/.exec(log);
          if (m) {
            clearTimeout(t);
            resolve(m[1]!);
          }
        });
      });
      const credential = join(dir, 'db', 'qm.local-credential');
      expect(statSync(credential).mode & 0o777).toBe(0o600);

      const made = run(['tokens', 'create', '--user', `mia.santos@${D}`, '--name', 'laptop', '--expires', '30d', '--json']);
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      const token = JSON.parse(made.stdout) as Record<string, unknown>;
      expect(Object.keys(token).sort()).toEqual(['expiresAt', 'id', 'name', 'onBehalf', 'token', 'user']);
      expect(token).toMatchObject({ name: 'laptop', user: `mia.santos@${D}`, onBehalf: false });

      const listed = JSON.parse(run(['tokens', 'list', '--json']).stdout) as { id: string; state: string; token?: string }[];
      expect(listed.find((t) => t.id === token.id)?.state).toBe('active');
      expect(listed.every((t) => t.token === undefined)).toBe(true);

      // qm ask --as goes through the server as the operator (it reads the local credential).
      const ask = run(['ask', 'What did we spend in total?', '--as', `mia.santos@${D}`, '--json']);
      expect(ask.code).toBe(0);
      expect(JSON.parse(ask.stdout).answer).toBeTruthy();

      // Another local client without the credential cannot name a user; the token acts as Mia.
      const anon = await get(`${url}/api/approvals?as=${encodeURIComponent(`mia.santos@${D}`)}`);
      expect(anon.status).toBe(403);
      const mine = await get(`${url}/api/approvals`, { authorization: `Bearer ${token.token}` });
      expect(mine.status).toBe(200);

      expect(run(['tokens', 'revoke', String(token.id)]).code).toBe(0);
      expect((await get(`${url}/api/approvals`, { authorization: `Bearer ${token.token}` })).status).toBe(401);
      expect(run(['tokens', 'create', '--user', 'nobody@example.com']).code).toBe(1);

      const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(credential)).toBe(false);
    } finally {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
