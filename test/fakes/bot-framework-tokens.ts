// A fake Bot Framework token signer on 127.0.0.1: the OpenID metadata document and JWKS that botbuilder reads to
// validate the JWTs the Teams channel sends (in Azure: login.botframework.com), with a test RSA key, and RS256 tokens
// signed the way the channel signs them (iss https://api.botframework.com, aud = the bot's app id, serviceurl).
//   GET /v1/.well-known/openidconfiguration   {issuer, jwks_uri, id_token_signing_alg_values_supported}
//   GET /v1/keys                               {keys: [RSA JWK with kid and endorsements]}
// `token()` can also sign with a key the JWKS does not publish (under an unknown kid, or under the published kid),
// to check refusals.
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export type TokenOptions = {
  /** The bot's app id (aud). */
  audience: string;
  /** The activity's serviceUrl (the serviceurl claim botbuilder compares with it). */
  serviceUrl: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** 'published' (default), 'unknown' (a key and kid the JWKS does not have), 'impostor' (an unknown key under the published kid). */
  key?: 'published' | 'unknown' | 'impostor';
  /** Further claims (or replacements), e.g. the appid and ver of a token Microsoft Entra issues to an app. */
  claims?: Record<string, unknown>;
};

export type FakeTokenSigner = {
  /** The OpenID metadata URL to give botbuilder (ToBotFromChannelOpenIdMetadataUrl). */
  metadataUrl: string;
  /** A signed JWT. */
  token(opts: TokenOptions): string;
  /** How many times botbuilder fetched the metadata and the keys. */
  fetches: { metadata: number; keys: number };
  close(): Promise<void>;
};

const b64url = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

function sign(privateKey: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url({ alg: 'RS256', typ: 'JWT', kid, x5t: kid });
  const payload = b64url(claims);
  const signature = createSign('RSA-SHA256').update(`${head}.${payload}`).sign(privateKey);
  return `${head}.${payload}.${b64url(signature)}`;
}

export async function startFakeTokenSigner(opts: { endorsements?: string[] } = {}): Promise<FakeTokenSigner> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-${randomUUID()}`;
  const jwk = published.publicKey.export({ format: 'jwk' });
  const fetches = { metadata: 0, keys: 0 };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    let body: unknown;
    if (path === '/v1/.well-known/openidconfiguration') {
      fetches.metadata++;
      body = { issuer: BOT_FRAMEWORK_ISSUER, authorization_endpoint: 'https://invalid.example/', jwks_uri: `${base}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] };
    } else if (path === '/v1/keys') {
      fetches.keys++;
      body = { keys: [{ kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e, endorsements: opts.endorsements ?? ['msteams'] }] };
    }
    const text = JSON.stringify(body ?? { error: 'not_found' });
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    fetches,
    token(t) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (t.expiresIn ?? 3600);
      const claims = { serviceurl: t.serviceUrl, nbf: Math.min(now, exp) - 300, exp, iss: t.issuer ?? BOT_FRAMEWORK_ISSUER, aud: t.audience, ...t.claims };
      const which = t.key ?? 'published';
      if (which === 'published') return sign(published.privateKey, kid, claims);
      return sign(other.privateKey, which === 'impostor' ? kid : `unknown-${randomUUID()}`, claims);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
