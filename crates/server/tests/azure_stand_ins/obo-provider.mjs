// Entra ID's token endpoint for the on-behalf-of exchange, played by npm's `oidc-provider` (a
// certified OAuth 2.0 / OpenID Connect implementation, in tools/), with the JWT bearer grant
// registered through its `registerGrantType` (crates/server/tests/api/azure_source_api.rs starts
// it). The provider authenticates the confidential client itself (client_secret_post) and parses
// the grant's parameters; the handler verifies the user's assertion (the desk's own identity
// provider's RS256 token for the desk's API: signature, issuer, audience, expiry) and answers a
// token for the tenant of the path (`/{tenantId}/oauth2/v2.0/token`, Entra ID's shape) and the
// resource of the scope, signed with the key the Partner Center and ARM stand-ins trust.
//
//   OBO_ASSERTION_KEY=rsa-a.pub.pem OBO_SIGNING_KEY=rsa-b.pem OBO_DESK_ISSUER=… OBO_DESK_AUDIENCE=…
//   OBO_CLIENT_ID=… OBO_CLIENT_SECRET=… node obo-provider.mjs     → prints "listening http://127.0.0.1:PORT"
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { createPublicKey, createPrivateKey, createSign, createVerify, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const require = createRequire(process.env.OBO_TOOLS ?? new URL('../../../../tools/package.json', import.meta.url));
const Provider = require('oidc-provider').default ?? require('oidc-provider');
const { errors } = Provider;

const assertionKey = createPublicKey(readFileSync(env('OBO_ASSERTION_KEY')));
const signingKey = createPrivateKey(readFileSync(env('OBO_SIGNING_KEY')));
const [deskIssuer, deskAudience] = [env('OBO_DESK_ISSUER'), env('OBO_DESK_AUDIENCE')];
const RESOURCES = ['https://management.azure.com', 'https://api.partnercenter.microsoft.com'];
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function verifiedAssertion(token) {
  const parts = String(token ?? '').split('.');
  if (parts.length !== 3) throw new errors.InvalidGrant('the assertion is not a JWT');
  const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
  if (header.alg !== 'RS256') throw new errors.InvalidGrant('the assertion is not RS256');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${parts[0]}.${parts[1]}`);
  if (!verifier.verify(assertionKey, Buffer.from(parts[2], 'base64url'))) throw new errors.InvalidGrant('AADSTS50013: Assertion failed signature validation');
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
  const audiences = [].concat(claims.aud ?? []);
  if (claims.iss !== deskIssuer) throw new errors.InvalidGrant('the assertion is of another issuer');
  if (!audiences.includes(deskAudience)) throw new errors.InvalidGrant('AADSTS50013: the assertion is not for this application');
  if (!(claims.exp > Date.now() / 1000)) throw new errors.InvalidGrant('AADSTS500133: the assertion has expired');
  return claims;
}

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OBO_CLIENT_ID'),
    client_secret: env('OBO_CLIENT_SECRET'),
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: [GRANT],
    response_types: [],
    redirect_uris: [],
  }],
  cookies: { keys: [randomBytes(16).toString('hex')] },
  features: { devInteractions: { enabled: false } },
});
provider.registerGrantType(GRANT, async (ctx, next) => {
  const { assertion, requested_token_use: use, scope } = ctx.oidc.params;
  if (use !== 'on_behalf_of') throw new errors.InvalidRequest('requested_token_use must be on_behalf_of');
  // Graph's delegated permission is its own scope; ARM and Partner Center take user_impersonation.
  const graphPermission = scope === 'https://graph.microsoft.com/DelegatedAdminRelationship.Read.All';
  const resource = graphPermission ? 'https://graph.microsoft.com' : String(scope ?? '').replace(/\/user_impersonation$/, '');
  if (!graphPermission && (!RESOURCES.includes(resource) || resource === scope)) throw new errors.InvalidScope('AADSTS70011: The provided scope is not valid', scope);
  const user = verifiedAssertion(assertion);
  const tenant = ctx.req.headers['x-obo-tenant'];
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: `${issuer}/${tenant}/v2.0`, aud: resource, tid: tenant, oid: user.oid, iat: now, nbf: now, exp: now + 3600, scp: graphPermission ? 'DelegatedAdminRelationship.Read.All' : 'user_impersonation' };
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'entra-b' })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(signingKey).toString('base64url');
  ctx.body = { token_type: 'Bearer', scope, expires_in: 3599, ext_expires_in: 3599, access_token: `${input}.${signature}` };
  await next();
}, ['assertion', 'requested_token_use', 'scope']);

// Entra ID's path, `/{tenantId}/oauth2/v2.0/token`, onto the provider's token endpoint.
const callback = provider.callback();
server.on('request', (req, res) => {
  const match = req.url.match(/^\/([A-Za-z0-9.-]+)\/oauth2\/v2\.0\/token$/);
  if (match) {
    req.headers['x-obo-tenant'] = match[1];
    req.url = '/token';
  }
  callback(req, res);
});
console.log(`listening ${issuer}`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
