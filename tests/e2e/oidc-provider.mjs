// A real OpenID provider for the end-to-end tests: npm's `oidc-provider` (a certified
// implementation, installed in tools/), on 127.0.0.1 on a free port. One public client (the
// SPA: Authorization Code with PKCE S256, no secret), resource indicators so the access token is
// an RS256 JWT for the API's audience carrying the account's `roles` and `name`, and the
// provider's own development login and consent pages (any password signs in).
//
//   import { startProvider } from './oidc-provider.mjs';
//   const provider = await startProvider({ redirectUri: 'http://127.0.0.1:8080/' });
//   … provider.issuer …; await provider.close();
//
// Run directly (`node tests/e2e/oidc-provider.mjs REDIRECT_URI`) it prints its issuer and
// serves until stopped.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const Provider = require('oidc-provider').default ?? require('oidc-provider');

/** The accounts, by login: their name and app roles (Entra ID's `roles` claim). */
export const ACCOUNTS = {
  'ada.admin': { name: 'Ada Admin', roles: ['AdminAgent'] },
  'hal.helpdesk': { name: 'Hal Helpdesk', roles: ['HelpdeskAgent', 'SalesAgent'] },
  'nora.nobody': { name: 'Nora Nobody', roles: [] },
};

export const CLIENT_ID = 'reservation-desk-spa';
export const AUDIENCE = 'api://reservation-desk';
/** The API's scope, and what the SPA asks for (`--oidc-scopes`). */
export const SCOPES = 'openid profile api';

/**
 * Starts the provider. `redirectUri` is the app's base URL (also where sign-out comes back to).
 * Resolves to `{ issuer, close }`.
 */
export async function startProvider({ redirectUri, accessTokenTtl = 600 }) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-rsa', use: 'sig', alg: 'RS256' };
  const accountOf = (id) => ACCOUNTS[id] ?? { name: id, roles: [] };

  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [redirectUri],
    }],
    pkce: { methods: ['S256'], required: () => true },
    jwks: { keys: [jwk] },
    cookies: {
      keys: [randomBytes(16).toString('hex')],
      // Plain http on loopback: SameSite=None cookies would need Secure, so Lax (every step
      // of the flow is a top-level navigation).
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: { openid: ['sub'], profile: ['name'] },
    ttl: {
      AccessToken: accessTokenTtl, IdToken: 600, RefreshToken: 3600,
      Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60,
    },
    findAccount: (ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, name: accountOf(id).name }),
    }),
    // The SPA (another origin) fetches the token endpoint.
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: AUDIENCE,
          accessTokenTTL: accessTokenTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: async (ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = accountOf(token.accountId);
      return { name: account.name, roles: account.roles };
    },
  });
  // Errors the provider answers (a bad request from a test) are not crashes.
  provider.on('server_error', (ctx, error) => console.error('oidc-provider:', error));
  server.on('request', provider.callback());

  return {
    issuer,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const redirectUri = process.argv[2] ?? 'http://127.0.0.1:8080/';
  const { issuer } = await startProvider({ redirectUri });
  console.log(`issuer ${issuer} client ${CLIENT_ID} audience ${AUDIENCE} scopes "${SCOPES}" redirect ${redirectUri}`);
}
