// MCP over HTTP as an OAuth 2.1 resource server: protected-resource metadata naming the identity provider, 401
// with a WWW-Authenticate header pointing at it, access tokens checked for signature, issuer, audience (the MCP
// server's URL) and expiry, and the tool call running as the token's person. The identity provider here is a real
// HTTP server publishing OpenID metadata and a JWKS, signing tokens with its own key; personal tokens still work.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/access/tokens.js';
import type { Database } from '../../src/db/client.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { testDatabases } from '../helpers/databases.js';
import { DEMO_DOMAIN as D } from '../helpers/purchases.js';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe.each(testDatabases)('MCP with OAuth access tokens on $name', ({ open }) => {
  let database: Database;
  let server: RunningServer;
  let idp: Server;
  let issuer: string;
  let key: Key;
  let otherKey: Key;

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger });
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    // QM_MCP_TOKEN set, as in production: nobody gets in without a credential.
    const app = createHttpApp({ database, log: silentLogger, mcp: { token: 'operator-token-0123456789', allowedHosts: [] }, oidc: { issuer, clientId: 'qm' } });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 180_000);

  afterAll(async () => {
    idp?.close();
    await server?.close();
    await database?.close();
  });

  const resource = (name: string) => `${server.url}/mcp/${name}`;
  const token = (claims: Record<string, unknown>, o: { aud?: string; exp?: string; signWith?: Key; iss?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(o.iss ?? issuer)
      .setAudience(o.aud ?? resource('governance'))
      .setSubject('user-123')
      .setIssuedAt()
      .setExpirationTime(o.exp ?? '5m')
      .sign(o.signWith ?? key);
  const call = (name: string, bearer: string | undefined, body: unknown) =>
    fetch(resource(name), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
  const listApprovals = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_approvals', arguments: {} } };

  it('publishes protected-resource metadata and answers 401 pointing at it', async () => {
    const meta = await (await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp/governance`)).json();
    expect(meta).toMatchObject({ resource: resource('governance'), authorization_servers: [issuer] });
    expect((await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp/nonsense`)).status).toBe(404);
    const res = await call('governance', undefined, listApprovals);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="quartermaster", resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp/governance"`,
    );
  });

  it('runs the tool call as the access token’s person', async () => {
    const res = await call('governance', await token({ email: `mia.santos@${D}` }), listApprovals);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.result.structuredContent.caller).toMatchObject({ kind: 'person', email: `mia.santos@${D}`, known_user: true });
  });

  it('refuses a token for another server, from another key or issuer, expired, or for someone who is not a user', async () => {
    const refused = async (bearer: string, name = 'governance') => {
      const res = await call(name, bearer, listApprovals);
      return { status: res.status, text: JSON.stringify(await res.json()) };
    };
    expect(await refused(await token({ email: `mia.santos@${D}` }, { aud: resource('spend') }))).toMatchObject({ status: 401 });
    expect(await refused(await token({ email: `mia.santos@${D}` }, { signWith: otherKey }))).toMatchObject({ status: 401 });
    expect(await refused(await token({ email: `mia.santos@${D}` }, { iss: 'http://127.0.0.1:1' }))).toMatchObject({ status: 401 });
    expect(await refused(await token({ email: `mia.santos@${D}` }, { exp: '-1m' }))).toMatchObject({ status: 401 });
    const stranger = await refused(await token({ email: 'stranger@example.com' }));
    expect(stranger.status).toBe(401);
    expect(stranger.text).toContain('stranger@example.com is not an active Quartermaster user');
    expect((await refused(await token({}))).text).toContain('names no email');
  });

  it('keeps accepting personal tokens', async () => {
    const pat = await createToken(database, { user: `ben.okafor@${D}`, createdBy: 'test' });
    const body = await (await call('governance', pat.token, listApprovals)).json();
    expect(body.result.structuredContent.caller).toMatchObject({ kind: 'person', email: `ben.okafor@${D}` });
  });
});
