// MCP over HTTP as an OAuth 2.1 resource server (the MCP authorization specification): a bearer that is a JWT
// access token from the configured identity provider is accepted when its signature verifies against the
// provider's published keys, its issuer is the provider, its audience is the MCP server it is presented to (the
// resource, e.g. https://qm.example.com/mcp/spend, so a token for one server is refused by another) and it has not
// expired. The person is the active user with the token's `email` claim; the tool call then runs as them.
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Database } from '../db/client.js';
import { activeUserByEmail } from '../db/web-sessions.js';
import type { TokenPrincipal } from './tokens.js';

export type AccessTokenVerifier = {
  /** The authorization server to name in protected-resource metadata. */
  issuer: string;
  /** The principal an access token stands for at `resource`, or why it is refused. */
  verify(token: string, resource: string): Promise<{ ok: true; principal: TokenPrincipal } | { ok: false; reason: string }>;
};

/** True for a string shaped like a compact JWS (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** A verifier for access tokens issued by `issuer` (its JWKS found through its OpenID or OAuth metadata). */
export function createAccessTokenVerifier(opts: { issuer: string; database: Database; now?: () => Date }): AccessTokenVerifier {
  const issuer = opts.issuer.replace(/\/+$/, '');
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const jwks = () => {
    keys ??= (async () => {
      for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
        const res = await fetch(`${issuer}${path}`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
        if (!res?.ok) continue;
        const meta = (await res.json().catch(() => ({}))) as { jwks_uri?: unknown };
        if (typeof meta.jwks_uri === 'string') return createRemoteJWKSet(new URL(meta.jwks_uri));
      }
      throw new Error(`no jwks_uri in the metadata of ${issuer}`);
    })().catch((err) => {
      keys = undefined;
      throw err;
    });
    return keys;
  };
  return {
    issuer: opts.issuer,
    async verify(token, resource) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await jwks(), {
          issuer: [issuer, `${issuer}/`],
          audience: resource,
          ...(opts.now ? { currentDate: opts.now() } : {}),
        }));
      } catch (err) {
        return { ok: false, reason: `access token refused (${(err as Error).message})` };
      }
      const email = typeof payload.email === 'string' ? payload.email : undefined;
      if (!email) return { ok: false, reason: 'the access token names no email, so it cannot be matched to a user' };
      const user = await activeUserByEmail(opts.database, email);
      if (!user) return { ok: false, reason: `${email} is not an active Quartermaster user` };
      return {
        ok: true,
        principal: { tokenId: `oauth:${payload.jti ?? payload.sub ?? ''}`, tokenName: 'OAuth access token', userId: user.id, email: user.email, name: user.name, onBehalf: false },
      };
    },
  };
}
