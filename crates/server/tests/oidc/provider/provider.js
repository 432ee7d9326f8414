// A real OpenID provider for the SSO tests: panva's oidc-provider with its development
// sign-in pages (any login, any password), on a loopback port chosen by the system.
//
//   REDIRECT_URI=https://127.0.0.1:8443/auth/oidc/callback node provider.js
//
// prints `issuer <url>` once it listens. Clients: `pinreset` (the server under test) and
// `other-app` (another relying party of the same provider), secrets `<client id>-secret`.
//
// One hook for the attack tests, outside the provider's own routes: POST /test/next-id-token
// with a token as the body makes the next token response carry that ID token instead — a token
// the provider really signed, but issued to another client or for another sign-in.
// A second: POST /test/ignore-prompt makes the provider behave like one that ignores
// `prompt=login` and `max_age` (it drops them from authorization requests), so a browser that
// signed in earlier is sent straight back with that earlier sign-in.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirectUris = (process.env.REDIRECT_URI || '').split(' ').filter(Boolean);
const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  require_auth_time: true,
});

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [client('pinreset'), client('other-app')],
  // The login typed at the sign-in page is the account: sub, email and preferred_username.
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, preferred_username: id.split('@')[0] };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username'] },
  pkce: { required: () => true },
  cookies: { keys: ['pinreset-test-provider-cookie-key'] },
});
provider.proxy = false;

let nextIdToken = null;
let ignorePrompt = false;
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && nextIdToken && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: nextIdToken };
    nextIdToken = null;
  }
});

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.method === 'POST' && req.url === '/test/next-id-token') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => { nextIdToken = body.trim(); res.writeHead(204).end(); });
    return;
  }
  if (req.method === 'POST' && req.url === '/test/ignore-prompt') {
    ignorePrompt = true;
    res.writeHead(204).end();
    return;
  }
  if (ignorePrompt && req.url.startsWith('/auth?')) {
    const url = new URL(req.url, issuer);
    url.searchParams.delete('prompt');
    url.searchParams.delete('max_age');
    req.url = `${url.pathname}?${url.searchParams}`;
  }
  callback(req, res);
});
console.log(`issuer ${issuer}`);
