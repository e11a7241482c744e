import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK } from 'jose';
import Provider from 'oidc-provider';
import request from 'supertest';

/** A person at the test identity provider (claims as the provider releases them). */
export interface IdpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  employee_id?: string;
}

/** How the token endpoint's answer is altered on its way back (to test what the app refuses). */
export type Tamper = 'none' | 'expired-id-token' | 'foreign-issuer' | 'foreign-audience' | 'wrong-nonce';

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  tamper: Tamper;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

/**
 * A real OpenID Connect provider (oidc-provider 9, dev interactions: any login name signs in as that
 * account) on a loopback port, with a signing key made here. It listens behind a small forwarding
 * server that is its public address; the forwarder can rewrite the ID token in the token
 * endpoint's answer (re-signed with the provider's own key) to present an expired token or one
 * from another issuer, which a well-behaved provider never sends.
 */
export async function startOidcProvider(redirectUris: string[]): Promise<TestIdp> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: randomBytes(6).toString('hex'), alg: 'RS256', use: 'sig' };
  const front = createServer();
  const frontPort = await listen(front);
  const issuer = `http://127.0.0.1:${frontPort}`;
  const accounts = new Map<string, IdpAccount>();
  const clientId = 'lms-test';
  const clientSecret = randomBytes(24).toString('base64url');

  // oidc-provider warns (console) that dev interactions and the in-memory adapter are for development: here they are the point.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('oidc-provider WARNING')) warn(...args);
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk as Record<string, unknown>] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], hr: ['employee_id'] },
    scopes: ['openid', 'email', 'profile', 'hr'],
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
    // Consent is given on the person's behalf: the tests are about the relying party.
    loadExistingGrant: async (ctx: unknown) => {
      const oidc = (ctx as { oidc: { client: { clientId: string }; session: { accountId: string }; provider: Provider } }).oidc;
      const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope('openid email profile hr');
      await grant.save();
      return grant;
    },
  });
  console.warn = warn;
  const inner = createServer(provider.callback());
  const innerPort = await listen(inner);

  const idp: TestIdp = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    tamper: 'none',
    close: async () => {
      await closeServer(front);
      await closeServer(inner);
    },
  };

  const rewrite = async (body: Buffer): Promise<Buffer> => {
    const json = JSON.parse(body.toString('utf8')) as { id_token?: string };
    if (!json.id_token || idp.tamper === 'none') return body;
    const claims = decodeJwt(json.id_token);
    const now = Math.floor(Date.now() / 1000);
    if (idp.tamper === 'expired-id-token') Object.assign(claims, { iat: now - 3600, exp: now - 600 });
    if (idp.tamper === 'foreign-issuer') claims.iss = 'http://127.0.0.1:9/another-issuer';
    if (idp.tamper === 'foreign-audience') claims.aud = 'another-client';
    if (idp.tamper === 'wrong-nonce') claims.nonce = 'a-nonce-from-another-sign-in';
    json.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey);
    return Buffer.from(JSON.stringify(json));
  };

  front.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const isToken = req.method === 'POST' && (req.url ?? '').startsWith('/token');
        if (!isToken) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        void readBody(answer)
          .then((body) => (answer.statusCode === 200 ? rewrite(body) : body))
          .then((body) => {
            res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(body.length) });
            res.end(body);
          });
      },
    );
    req.pipe(upstream);
  });
  return idp;
}

/**
 * A person at the provider's pages: follows the authorization URL, signs in as `login` on the dev
 * login form, and answers where the provider sends the browser back (the app's callback URL).
 */
export async function signInAtProvider(idp: TestIdp, authorizationUrl: string, login: string): Promise<URL> {
  const agent = request.agent(idp.issuer);
  const start = new URL(authorizationUrl);
  if (start.origin !== idp.issuer) throw new Error(`authorization URL ${start.origin} is not at the provider`);
  let res = await agent.get(start.pathname + start.search);
  for (let step = 0; step < 10; step++) {
    const location = res.headers.location as string | undefined;
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, idp.issuer);
      if (next.origin !== idp.issuer) return next;
      res = await agent.get(next.pathname + next.search);
      continue;
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(res.text)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(res.text)?.[1];
    if (res.status !== 200 || !action || !prompt)
      throw new Error(`unexpected answer from the provider: ${res.status} ${res.text.slice(0, 300)}`);
    res = await agent
      .post(new URL(action, idp.issuer).pathname)
      .type('form')
      .send(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('the provider did not send the browser back');
}
