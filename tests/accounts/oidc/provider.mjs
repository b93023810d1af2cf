// A real OpenID Connect provider for the single sign-on tests: node `oidc-provider` (pinned in
// assets/package.json, installed by `npm ci --prefix assets`), with one test client and the
// test users given in the environment. Listens on 127.0.0.1 only, on the port given, and stops
// by itself after ten minutes whatever happens to the test that started it.
//
// Environment: OIDC_PROVIDER_MODULE (path of oidc-provider's package folder), PORT,
// OIDC_CLIENT (JSON: client_id, client_secret, redirect_uris), OIDC_USERS (JSON: login ->
// {password, claims, amr?}; amr, a list, becomes the ID token's amr claim). Its sign-in page is a plain form (login, password) at /interaction/<uid>.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

const moduleDir = process.env.OIDC_PROVIDER_MODULE;
const { default: Provider } = await import(
  pathToFileURL(path.join(moduleDir, "lib", "index.js")).href
);
const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const client = JSON.parse(process.env.OIDC_CLIENT);
const users = JSON.parse(process.env.OIDC_USERS);

const provider = new Provider(issuer, {
  clients: [
    {
      ...client,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user.claims }; } };
  },
  claims: {
    // amr in every ID token that has one, as Keycloak, Okta and Entra ID's v1 tokens send it.
    openid: ["sub", "amr"],
    profile: ["name", "given_name", "family_name", "preferred_username", "groups"],
    email: ["email"],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party client: no consent screen; the grant covers what was asked for.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(" ") : "openid");
    await grant.save();
    return grant;
  },
  cookies: { keys: ["tests-only-not-a-secret"] },
});
const handle = provider.callback();

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = "";
    req.on("data", (chunk) => {
      data += chunk;
      if (data.length > 10000) reject(new Error("too long"));
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  if (!match) return handle(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<form method="post" action="/interaction/${details.uid}/login">` +
          `<input name="login"><input name="password" type="password"><button>Sign in</button></form>`,
      );
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const user = users[form.get("login")];
    if (!user || user.password !== form.get("password")) {
      res.writeHead(403, { "content-type": "text/plain" });
      res.end("Wrong login or password");
      return;
    }
    // How the person signed in, as the ID token's amr claim says (none when not given).
    const login = { accountId: form.get("login") };
    if (user.amr) login.amr = user.amr;
    await provider.interactionFinished(
      req,
      res,
      { login },
      { mergeWithLastSubmission: false },
    );
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error));
  }
});
server.listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`));
setTimeout(() => process.exit(0), 10 * 60 * 1000).unref();
