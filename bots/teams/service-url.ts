// Where the bot may send: every reply, proactive card, card update and roster look-up goes to an activity's
// `serviceUrl`, which arrives in the (attacker-writable) request body. Only hosts the Bot Framework uses are allowed:
// Teams' connector (smba.*: public cloud, GCC, GCC High, DoD) and the Bot Framework's own channel hosts. In
// development mode (no credentials, QM_TEAMS_DEV=1) only loopback hosts are allowed (the Bot Framework Emulator,
// tests): without credentials nothing could be delivered to Microsoft anyway.

/** Host patterns (`host` or `*.domain`, any depth) the Bot Framework sends from; QM_TEAMS_SERVICE_HOSTS replaces them. */
export const DEFAULT_SERVICE_HOSTS: readonly string[] = [
  'smba.trafficmanager.net',
  'smba.infra.gcc.teams.microsoft.com',
  'smba.infra.gov.teams.microsoft.us',
  'smba.infra.dod.teams.microsoft.us',
  '*.botframework.com',
  '*.botframework.azure.us',
  '*.botframework.us',
];

/** A refusal reason for a service URL, or undefined when the bot may call it. */
export type ServiceUrlPolicy = (serviceUrl: string | undefined) => string | undefined;

/** True for localhost, 127.0.0.0/8 and ::1 (as URL.hostname writes them). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function matches(host: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p;
}

/**
 * The policy for `hosts` (patterns) and, in development, any loopback host. Only https, except for loopback hosts
 * (nothing leaves the machine); no credentials in the URL.
 */
export function serviceUrlPolicy(opts: { hosts: readonly string[]; loopback: boolean }): ServiceUrlPolicy {
  return (serviceUrl) => {
    if (!serviceUrl) return 'the activity has no serviceUrl';
    let url: URL;
    try {
      url = new URL(serviceUrl);
    } catch {
      return 'the serviceUrl is not a URL';
    }
    const host = url.hostname.toLowerCase();
    const loopback = isLoopbackHost(host);
    if (url.username || url.password) return 'the serviceUrl carries credentials';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return `the serviceUrl is not https (${url.protocol})`;
    if (loopback && opts.loopback) return undefined;
    if (opts.hosts.some((p) => matches(host, p))) return undefined;
    return `"${host}" is not a Bot Framework service host (QM_TEAMS_SERVICE_HOSTS)`;
  };
}
