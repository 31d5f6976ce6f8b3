// The Teams bot's modes (authenticated, dev, off) and the service hosts it may send to, as settings and as a bot:
// which combinations start, which service URLs pass, and that a bot that is off refuses before doing anything.
import { describe, expect, it } from 'vitest';
import { createTeamsBot, DEFAULT_SERVICE_HOSTS, serviceUrlPolicy, teamsAuthentication } from '../../bots/teams/index.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { silentLogger } from '../../src/log.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';

const CREDENTIALS = { appId: '00000000-0000-4000-8000-0000000a99e0', appPassword: 'not-a-real-secret' };

describe('Teams service URLs', () => {
  const teams = serviceUrlPolicy({ hosts: DEFAULT_SERVICE_HOSTS, loopback: false });
  const dev = serviceUrlPolicy({ hosts: [], loopback: true });

  it('allows the Bot Framework hosts over https, in every cloud', () => {
    for (const url of [
      'https://smba.trafficmanager.net/emea/',
      'https://smba.trafficmanager.net/teams/',
      'https://smba.infra.gcc.teams.microsoft.com/teams',
      'https://smba.infra.gov.teams.microsoft.us/teams',
      'https://smba.infra.dod.teams.microsoft.us/teams',
      'https://webchat.botframework.com/',
      'https://europe.webchat.botframework.com/',
      'https://SMBA.TrafficManager.net/amer/',
    ]) {
      expect(teams(url), url).toBeUndefined();
    }
  });

  it('refuses other hosts, look-alikes, plain http, credentials in the URL and loopback (with credentials)', () => {
    for (const url of [
      undefined,
      '',
      'not a url',
      'https://attacker.example/',
      'https://smba.trafficmanager.net.attacker.example/',
      'https://evilbotframework.com/',
      'https://botframework.com/',
      'http://smba.trafficmanager.net/emea/',
      'https://user:pw@smba.trafficmanager.net/emea/',
      'http://127.0.0.1:3978/',
      'http://localhost:3978/',
      'file:///etc/passwd',
    ]) {
      expect(teams(url), String(url)).toBeTypeOf('string');
    }
  });

  it('in development allows loopback only (the Emulator, tests), over http or https', () => {
    for (const url of ['http://localhost:3978/', 'http://127.0.0.1:9000/', 'https://127.0.0.2/', 'http://[::1]:3978/']) expect(dev(url), url).toBeUndefined();
    for (const url of ['https://smba.trafficmanager.net/emea/', 'http://attacker.example/', 'http://127.0.0.1.attacker.example/']) expect(dev(url), url).toBeTypeOf('string');
  });

  it('takes exact hosts and *.domain patterns', () => {
    const custom = serviceUrlPolicy({ hosts: ['bots.example.org', '*.sovereign.example'], loopback: false });
    expect(custom('https://bots.example.org/x/')).toBeUndefined();
    expect(custom('https://a.b.sovereign.example/')).toBeUndefined();
    expect(custom('https://sovereign.example/')).toBeTypeOf('string');
    expect(custom('https://smba.trafficmanager.net/emea/')).toBeTypeOf('string');
  });
});

describe('Teams modes', () => {
  it('is off without credentials, dev only when asked, authenticated with credentials', () => {
    expect(teamsAuthentication().mode).toBe('off');
    expect(teamsAuthentication({ dev: false }).mode).toBe('off');
    expect(teamsAuthentication({ dev: true }).mode).toBe('dev');
    expect(teamsAuthentication({ credentials: CREDENTIALS }).mode).toBe('authenticated');
  });

  it('refuses QM_TEAMS_DEV together with credentials, and partial credentials', () => {
    expect(() => teamsAuthentication({ credentials: CREDENTIALS, dev: true })).toThrow(/QM_TEAMS_DEV/);
    expect(() => teamsAuthentication({ credentials: { appPassword: 'x' }, dev: true })).toThrow(/MICROSOFT_APP_ID/);
    expect(() => teamsAuthentication({ credentials: { appId: CREDENTIALS.appId } })).toThrow(/MICROSOFT_APP_PASSWORD/);
  });

  it('reads QM_TEAMS_DEV and QM_TEAMS_SERVICE_HOSTS', () => {
    expect(loadConfig({}).teams).toEqual({ dev: false });
    expect(loadConfig({ QM_TEAMS_DEV: '1' }).teams.dev).toBe(true);
    expect(loadConfig({ QM_TEAMS_DEV: 'true' }).teams.dev).toBe(true);
    expect(loadConfig({ QM_TEAMS_DEV: '0' }).teams.dev).toBe(false);
    expect(() => loadConfig({ QM_TEAMS_DEV: 'yes please' })).toThrow(/QM_TEAMS_DEV/);
    expect(loadConfig({ QM_TEAMS_SERVICE_HOSTS: 'smba.trafficmanager.net, *.Botframework.com,' }).teams.serviceHosts).toEqual(['smba.trafficmanager.net', '*.botframework.com']);
    expect(() => loadConfig({ QM_TEAMS_SERVICE_HOSTS: 'https://smba.trafficmanager.net/' })).toThrow(/QM_TEAMS_SERVICE_HOSTS/);
    expect(() => loadConfig({ QM_TEAMS_SERVICE_HOSTS: '*' })).toThrow(/QM_TEAMS_SERVICE_HOSTS/);
  });

  it('when off, refuses every activity before looking at it', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('touched'); } });
    const bot = createTeamsBot({
      orchestrator: untouchable as Orchestrator,
      approvals: untouchable as ApprovalService,
      database: untouchable as Database,
      log: silentLogger,
    });
    expect(bot.mode).toBe('off');
    expect(bot.authenticated).toBe(false);
    const invoke = { type: 'invoke', name: 'adaptiveCard/action', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/emea/', from: { id: '29:1', aadObjectId: 'x' } };
    expect(await bot.handle({ headers: {}, body: invoke })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    await bot.close();
  });
});
