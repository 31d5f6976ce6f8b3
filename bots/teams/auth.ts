// Bot Framework authentication from the Azure Bot registration (MICROSOFT_APP_ID, _PASSWORD, _TENANT_ID, _TYPE):
// CloudAdapter validates every incoming activity's JWT against it and signs the bot's own calls with it. Without an
// app id the adapter accepts unauthenticated activities (the Bot Framework Emulator, local development); the HTTP
// route then admits loopback callers only.
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';

export type TeamsCredentials = { appId?: string; appPassword?: string; tenantId?: string; appType?: string };

export type TeamsAuthentication = {
  authentication: ConfigurationBotFrameworkAuthentication;
  /** True when activities must carry a valid Bot Framework token. */
  authenticated: boolean;
  appId: string;
};

/** Checks the combination of settings and builds the authentication; throws with the variable to fix. */
export function teamsAuthentication(c: TeamsCredentials = {}): TeamsAuthentication {
  const appType = c.appType ?? 'MultiTenant';
  if (!c.appId) {
    if (c.appPassword || c.tenantId || c.appType) {
      throw new Error('Teams is partly configured: set MICROSOFT_APP_ID (the Azure Bot registration\'s app id) too, or unset MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID and MICROSOFT_APP_TYPE.');
    }
    return { authentication: new ConfigurationBotFrameworkAuthentication({}), authenticated: false, appId: '' };
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
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  return { authentication: new ConfigurationBotFrameworkAuthentication(settings, credentials), authenticated: true, appId: c.appId };
}
