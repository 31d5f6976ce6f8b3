// How the Teams bot authenticates, in one of three modes:
//   authenticated  an Azure Bot registration (MICROSOFT_APP_ID, _PASSWORD, _TENANT_ID, _TYPE): every incoming activity
//                  must carry a Bot Framework JWT (signature, issuer, audience = our app id, expiry, serviceUrl claim),
//                  and the bot's own calls are signed with the registration's credentials;
//   dev            no registration and QM_TEAMS_DEV=1: activities are not authenticated (the Bot Framework Emulator,
//                  tests); the HTTP route admits loopback callers only, and the sender's identity is whatever the
//                  body says;
//   off            neither: every activity is refused with 401.
// In every mode the bot calls only service URLs its policy allows (service-url.ts): the connector factory that
// creates every outbound client refuses the others, so replies, proactive cards and roster look-ups alike are held.
// With a registration only channel tokens (issuer api.botframework.com) are accepted: botbuilder would also accept
// "Emulator" and skill tokens, which include the tokens the bot itself gets for calling the connector (issued by the
// Bot Framework's tenant to our app id, for any audience), so a token the bot ever sent could be replayed to it.
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { DEFAULT_SERVICE_HOSTS, type ServiceUrlPolicy, serviceUrlPolicy } from './service-url.js';

export type TeamsCredentials = { appId?: string; appPassword?: string; tenantId?: string; appType?: string };

export type TeamsMode = 'authenticated' | 'dev' | 'off';

/** Internal settings for running the authenticated mode offline (tests); never from the environment. */
export type BotFrameworkEndpoints = {
  /** OpenID metadata of the keys that sign channel (and Emulator) tokens; default login.botframework.com. */
  openIdMetadataUrl?: string;
  /** A bearer token for the bot's own calls instead of one from Microsoft Entra. */
  outboundToken?: () => Promise<string>;
};

export type TeamsAuthOptions = {
  credentials?: TeamsCredentials;
  /** QM_TEAMS_DEV: unauthenticated activities from loopback callers, when there are no credentials. */
  dev?: boolean;
  /** Service host patterns in authenticated mode (default DEFAULT_SERVICE_HOSTS). */
  serviceHosts?: readonly string[];
  botFramework?: BotFrameworkEndpoints;
};

export type TeamsAuthentication = {
  authentication: ConfigurationBotFrameworkAuthentication;
  mode: TeamsMode;
  appId: string;
  /** The tenant whose activities are accepted (MICROSOFT_APP_TENANT_ID), when set. */
  tenantId?: string;
  serviceUrl: ServiceUrlPolicy;
};

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type Credentials = Awaited<ReturnType<ConfigurationServiceClientCredentialFactory['createCredentials']>>;
type Settings = ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0];

/** The issuer of the tokens the Bot Framework channels (Teams among them) send in the public cloud. */
const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';

/**
 * Bot Framework authentication whose outbound clients can only reach the service URLs the policy allows, and which,
 * given `issuer`, accepts only tokens from it.
 */
class GuardedAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly serviceUrl: ServiceUrlPolicy;
  private readonly issuer: string | undefined;

  constructor(settings: Settings, credentials: ConfigurationServiceClientCredentialFactory | undefined, serviceUrl: ServiceUrlPolicy, issuer?: string) {
    super(settings, credentials);
    this.serviceUrl = serviceUrl;
    this.issuer = issuer;
  }

  override async authenticateRequest(...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>) {
    const result = await super.authenticateRequest(...args);
    const issuer = result.claimsIdentity.getClaimValue('iss');
    if (this.issuer && issuer !== this.issuer) throw new Error(`not a Bot Framework channel token (issuer ${String(issuer).slice(0, 100)})`);
    return { ...result, ...(result.connectorFactory ? { connectorFactory: this.guard(result.connectorFactory) } : {}) };
  }

  override createConnectorFactory(...args: Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>): ConnectorFactory {
    return this.guard(super.createConnectorFactory(...args));
  }

  private guard(inner: ConnectorFactory): ConnectorFactory {
    const policy = this.serviceUrl;
    return {
      async create(serviceUrl, audience) {
        const refusal = policy(serviceUrl);
        if (refusal) throw new Error(`Teams: not sending to ${serviceUrl}: ${refusal}`);
        return inner.create(serviceUrl, audience);
      },
    };
  }
}

/** Signs the bot's calls with a given token (BotFrameworkEndpoints.outboundToken) instead of asking Entra. */
class FixedTokenCredentialFactory extends ConfigurationServiceClientCredentialFactory {
  constructor(
    options: ConstructorParameters<typeof ConfigurationServiceClientCredentialFactory>[0],
    private readonly token: () => Promise<string>,
  ) {
    super(options);
  }

  override async createCredentials(appId: string): Promise<Credentials> {
    if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
    const token = this.token;
    return {
      async signRequest(request) {
        request.headers.set('authorization', `Bearer ${await token()}`);
        return request;
      },
    };
  }
}

/** The public cloud's settings with the token signers' metadata at `url` (botbuilder takes all of them or none). */
function publicCloudWithMetadata(url: string) {
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: CHANNEL_TOKEN_ISSUER,
    OAuthUrl: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: url,
    ToBotFromEmulatorOpenIdMetadataUrl: url,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** Checks the combination of settings, picks the mode and builds the authentication; throws with the variable to fix. */
export function teamsAuthentication(opts: TeamsAuthOptions = {}): TeamsAuthentication {
  const c = opts.credentials ?? {};
  const appType = c.appType ?? 'MultiTenant';
  if (!c.appId) {
    if (c.appPassword || c.tenantId || c.appType) {
      throw new Error('Teams is partly configured: set MICROSOFT_APP_ID (the Azure Bot registration\'s app id) too, or unset MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID and MICROSOFT_APP_TYPE.');
    }
    const mode: TeamsMode = opts.dev ? 'dev' : 'off';
    const serviceUrl = serviceUrlPolicy({ hosts: [], loopback: mode === 'dev' });
    return { authentication: new GuardedAuthentication({}, undefined, serviceUrl), mode, appId: '', serviceUrl };
  }
  if (opts.dev) {
    throw new Error('QM_TEAMS_DEV=1 is for local development without an Azure Bot registration: unset it, or unset MICROSOFT_APP_ID.');
  }
  if (appType === 'UserAssignedMSI') {
    if (c.appPassword) throw new Error('MICROSOFT_APP_PASSWORD must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI.');
    if (!c.tenantId) throw new Error('MICROSOFT_APP_TYPE=UserAssignedMSI needs MICROSOFT_APP_TENANT_ID.');
  } else if (!c.appPassword) {
    throw new Error('MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not: set the client secret of the Azure Bot registration.');
  }
  if (appType === 'SingleTenant' && !c.tenantId) throw new Error('MICROSOFT_APP_TYPE=SingleTenant needs MICROSOFT_APP_TENANT_ID.');
  const settings = {
    MicrosoftAppId: c.appId,
    MicrosoftAppType: appType,
    ...(c.appPassword ? { MicrosoftAppPassword: c.appPassword } : {}),
    ...(c.tenantId ? { MicrosoftAppTenantId: c.tenantId } : {}),
  };
  const { openIdMetadataUrl, outboundToken } = opts.botFramework ?? {};
  const credentials = outboundToken ? new FixedTokenCredentialFactory(settings, outboundToken) : new ConfigurationServiceClientCredentialFactory(settings);
  const serviceUrl = serviceUrlPolicy({ hosts: opts.serviceHosts ?? DEFAULT_SERVICE_HOSTS, loopback: false });
  const endpoints = openIdMetadataUrl ? publicCloudWithMetadata(openIdMetadataUrl) : {};
  return {
    authentication: new GuardedAuthentication({ ...settings, ...endpoints }, credentials, serviceUrl, CHANNEL_TOKEN_ISSUER),
    mode: 'authenticated',
    appId: c.appId,
    ...(c.tenantId ? { tenantId: c.tenantId } : {}),
    serviceUrl,
  };
}
