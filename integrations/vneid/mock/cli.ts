// npm run mock:vneid -- [--port 4020] [--host 127.0.0.1] [--issuer URL]
//   [--redirect-uri URL …] [--post-logout-redirect-uri URL …] [--allow-any-local-redirect]
//   [--client-id qn-portal] [--client-secret S] [--token-auth-method client_secret_basic|client_secret_post]
//   [--cookie-key K …]
//   env: MOCK_VNEID_PORT, VNEID_CLIENT_SECRET, VNEID_COOKIE_KEY
import { parseArgs } from "node:util";
import { exitWith, jsonLog, portFlag, stopOnSignals } from "../../mock-cli";
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_VNEID_PORT, startVneidMock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_VNEID_PORT ?? String(DEFAULT_VNEID_PORT) },
    host: { type: "string", default: "127.0.0.1" },
    issuer: { type: "string" },
    "redirect-uri": { type: "string", multiple: true, default: [] },
    "post-logout-redirect-uri": { type: "string", multiple: true, default: [] },
    "allow-any-local-redirect": { type: "boolean", default: false },
    "client-id": { type: "string", default: DEFAULT_CLIENT_ID },
    "client-secret": { type: "string", default: process.env.VNEID_CLIENT_SECRET ?? DEFAULT_CLIENT_SECRET },
    "token-auth-method": { type: "string", default: "client_secret_basic" },
    "cookie-key": { type: "string", multiple: true, default: process.env.VNEID_COOKIE_KEY ? [process.env.VNEID_COOKIE_KEY] : [] },
  },
});
const port = portFlag("port", values.port);
for (const uri of [...values["redirect-uri"], ...values["post-logout-redirect-uri"], ...(values.issuer ? [values.issuer] : [])]) {
  if (!URL.canParse(uri) || !/^https?:$/.test(new URL(uri).protocol)) exitWith(`expected an http(s) URL, got "${uri}"`);
}
const method = values["token-auth-method"];
if (method !== "client_secret_basic" && method !== "client_secret_post") exitWith(`--token-auth-method: client_secret_basic or client_secret_post, got "${method}"`);

const line = jsonLog("mock-vneid");
const mock = await startVneidMock({
  port, host: values.host, issuer: values.issuer,
  redirectUris: values["redirect-uri"], postLogoutRedirectUris: values["post-logout-redirect-uri"],
  allowAnyLocalRedirect: values["allow-any-local-redirect"],
  clientId: values["client-id"], clientSecret: values["client-secret"],
  tokenEndpointAuthMethod: method as "client_secret_basic" | "client_secret_post",
  cookieKeys: values["cookie-key"],
  log: line,
});
line({ msg: "listening", url: mock.url, issuer: mock.issuer, clientId: mock.clientId });
stopOnSignals(mock);
