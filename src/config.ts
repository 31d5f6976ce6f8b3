// The only module that reads process.env: every setting is parsed and validated here, once.
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';
import { projectPath } from './paths.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const optionalUrl = (protocols: string[], hint: string) =>
  optionalString.pipe(
    z
      .string()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, hint)
      .optional(),
  );

const optionalInt = (min: number, max: number, hint: string) =>
  optionalString.pipe(
    z
      .string()
      .regex(/^\d+$/, hint)
      .transform(Number)
      .refine((n) => n >= min && n <= max, hint)
      .optional(),
  );

/** A comma-separated list as lower-case entries, blanks dropped. */
const hostPatterns = (v: string) =>
  v
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

const envSchema = z.object({
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// connection URL'),
  DATABASE_READ_URL: optionalUrl(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL of a streaming replica of DATABASE_URL'),
  QM_DATA_DIR: optionalString,
  PORT: optionalInt(0, 65535, 'a port number between 0 and 65535'),
  HOST: optionalString,
  QM_LOG_LEVEL: optionalString.pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional()),
  QM_DEFAULT_CURRENCY: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'a three-letter ISO 4217 currency code such as GBP')
      .optional(),
  ),
  QM_DB_POOL_SIZE: optionalInt(1, 200, 'a whole number of connections between 1 and 200'),
  QM_ANALYTICS_CONCURRENCY: optionalInt(1, 200, 'a whole number of spend questions run at once, between 1 and 200'),
  QM_FISCAL_YEAR_START_MONTH: optionalInt(1, 12, 'the month the financial year starts, 1 (January) to 12'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalUrl(['http:', 'https:'], 'an http(s) URL such as https://slack.com/api/'),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: optionalString.pipe(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  QM_TEAMS_DEV: optionalString.pipe(z.enum(['0', '1', 'true', 'false']).optional()),
  QM_TEAMS_SERVICE_HOSTS: optionalString.pipe(
    z
      .string()
      .refine((v) => hostPatterns(v).every((h) => /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(h)), 'comma-separated host names or *.domain patterns, such as smba.trafficmanager.net,*.botframework.com')
      .optional(),
  ),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl(['http:', 'https:'], 'an http(s) URL of an OpenAI-compatible API'),
  QM_LLM_MODEL: optionalString,
  QM_MCP_TOKEN: optionalString,
  QM_ALLOWED_HOSTS: optionalString,
  QM_PUBLIC_URL: optionalUrl(['http:', 'https:'], 'the http(s) origin browsers use, such as https://qm.example.com'),
  QM_OIDC_ISSUER: optionalUrl(['http:', 'https:'], 'the OpenID Connect issuer URL, such as https://login.example.com/realms/acme'),
  QM_OIDC_CLIENT_ID: optionalString,
  QM_OIDC_CLIENT_SECRET: optionalString,
  QM_POLICY_DIR: optionalString,
  QM_AUDIT_RETENTION_DAYS: optionalInt(1, 36_500, 'a whole number of days between 1 and 36500'),
  QM_APPROVALS_CHANNEL: optionalString,
  QM_JOBS: optionalString.pipe(z.enum(['on', 'off']).optional()),
  QM_CHAT_LEASE_SECONDS: optionalInt(1, 3600, 'a whole number of seconds between 1 and 3600'),
});

export type Config = Readonly<{
  /** `readUrl`: a streaming replica for read-only analytics (src/db/replica.ts); only with a server `url`. */
  database: Readonly<{
    url?: string;
    readUrl?: string;
    dataDir: string;
    poolSize: number;
    /** How many analytics statements (spend and demand questions) run on the server at once; the rest queue. */
    analyticsConcurrency: number;
  }>;
  http: Readonly<{ port: number; host: string }>;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Currency assumed for imported amounts that name none; unset → such rows are rejected. */
  defaultCurrency?: string;
  /** The month (1-12) the organisation's financial year starts: "FY2025", "financial year 2025" (default 4, April). */
  fiscalYearStartMonth: number;
  slack: Readonly<{ signingSecret?: string; botToken?: string; appToken?: string; apiUrl?: string }>;
  microsoft: Readonly<{ appId?: string; appPassword?: string; tenantId?: string; appType?: string }>;
  /**
   * Teams without an Azure Bot registration: `dev` (QM_TEAMS_DEV=1) accepts unauthenticated activities from loopback
   * callers, else every activity is refused. `serviceHosts` (QM_TEAMS_SERVICE_HOSTS) replaces the Bot Framework
   * hosts the bot may send to (sovereign clouds).
   */
  teams: Readonly<{ dev: boolean; serviceHosts?: readonly string[] }>;
  llm: Readonly<{ apiKey?: string; baseUrl?: string; model: string }>;
  mcp: Readonly<{ token?: string }>;
  /** Host names (besides localhost) this server answers to; guards MCP against DNS rebinding. */
  allowedHosts: readonly string[];
  /** The origin people reach this server under (behind a proxy): used for links and accepted as an Origin. */
  publicUrl?: string;
  /** Web sign-in through an OpenID Connect provider (QM_OIDC_*); unset → one-time links only. */
  oidc?: Readonly<{ issuer: string; clientId: string; clientSecret?: string }>;
  /** Folder holding authority.yaml and autonomy.yaml. */
  policyDir: string;
  /** Audit events older than this many days may be pruned (`qm audit prune`); unset → kept forever. */
  audit: Readonly<{ retentionDays?: number }>;
  /** Where approval cards are posted (a Slack channel id or Teams conversation id), besides approvers' DMs. */
  approvalsChannel?: string;
  /** Whether this process runs scheduled jobs (reminders, escalations, monitors); 'off' for web-only instances. */
  jobs: boolean;
  /** How long an instance holds a chat request it is answering before another instance may take it over. */
  chat: Readonly<{ leaseMs: number }>;
}>;

/** Parses an environment (process.env by default) into a frozen Config, or throws AppError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: expected ${i.message}`;
    });
    throw new AppError('config:invalid', `Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.QM_OIDC_ISSUER) !== Boolean(e.QM_OIDC_CLIENT_ID)) {
    throw new AppError('config:invalid', 'Invalid configuration:\n  QM_OIDC_ISSUER and QM_OIDC_CLIENT_ID: set both for web sign-in through your identity provider, or neither.');
  }
  return deepFreeze({
    database: {
      url: e.DATABASE_URL,
      readUrl: e.DATABASE_URL ? e.DATABASE_READ_URL : undefined,
      dataDir: resolve(e.QM_DATA_DIR ?? './.qm'),
      poolSize: e.QM_DB_POOL_SIZE ?? 10,
      analyticsConcurrency: e.QM_ANALYTICS_CONCURRENCY ?? 3,
    },
    http: { port: e.PORT ?? 3000, host: e.HOST ?? '0.0.0.0' },
    logLevel: e.QM_LOG_LEVEL ?? 'info',
    defaultCurrency: e.QM_DEFAULT_CURRENCY?.toUpperCase(),
    fiscalYearStartMonth: e.QM_FISCAL_YEAR_START_MONTH ?? 4,
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    microsoft: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
    },
    teams: {
      dev: e.QM_TEAMS_DEV === '1' || e.QM_TEAMS_DEV === 'true',
      ...(e.QM_TEAMS_SERVICE_HOSTS ? { serviceHosts: hostPatterns(e.QM_TEAMS_SERVICE_HOSTS) } : {}),
    },
    llm: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, model: e.QM_LLM_MODEL ?? 'gpt-4o-mini' },
    mcp: { token: e.QM_MCP_TOKEN },
    allowedHosts: (e.QM_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    publicUrl: e.QM_PUBLIC_URL ? new URL(e.QM_PUBLIC_URL).origin : undefined,
    ...(e.QM_OIDC_ISSUER && e.QM_OIDC_CLIENT_ID
      ? { oidc: { issuer: e.QM_OIDC_ISSUER, clientId: e.QM_OIDC_CLIENT_ID, ...(e.QM_OIDC_CLIENT_SECRET ? { clientSecret: e.QM_OIDC_CLIENT_SECRET } : {}) } }
      : {}),
    policyDir: resolve(e.QM_POLICY_DIR ?? projectPath('policies')),
    audit: { retentionDays: e.QM_AUDIT_RETENTION_DAYS },
    approvalsChannel: e.QM_APPROVALS_CHANNEL,
    jobs: (e.QM_JOBS ?? 'on') === 'on',
    chat: { leaseMs: (e.QM_CHAT_LEASE_SECONDS ?? 60) * 1000 },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
