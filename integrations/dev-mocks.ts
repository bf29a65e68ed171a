// The citizen-side outside systems in one process, for the one-command start and the tests:
// e-ID (OpenID Connect), population database, PayGov, SMTP catcher and SMS gateway. Each is also
// runnable alone (npm run mock:vneid, mock:population, mock:paygov, mock:mail, mock:sms).
// Configuration comes from the same variables the portal reads, so both sides agree.
import { startMailMock } from "./notify/mail/mock/server";
import { startSmsMock } from "./notify/sms/mock/server";
import { startPaygovMock } from "./paygov/mock/server";
import { startPopulationMock } from "./population/mock/server";
import { startVneidMock } from "./vneid/mock/server";

const env = process.env;
const portOf = (url: string | undefined, fallback: number) => (url ? Number(new URL(url).port) || fallback : fallback);
const portal = (env.PUBLIC_URL ?? `http://${env.HOST && env.HOST !== "0.0.0.0" ? env.HOST : "127.0.0.1"}:${env.PORT ?? 3000}`).replace(/\/$/, "");
const log = (service: string) => (line: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), service, ...line }));

const running = await Promise.all([
  startVneidMock({
    port: portOf(env.VNEID_ISSUER, 4020), issuer: env.VNEID_ISSUER, clientId: env.VNEID_CLIENT_ID, clientSecret: env.VNEID_CLIENT_SECRET,
    redirectUris: [`${portal}/dang-nhap/callback`], postLogoutRedirectUris: [`${portal}/`], log: log("mock-vneid"),
  }),
  startPopulationMock({ port: portOf(env.POPULATION_URL, 4030), token: env.POPULATION_TOKEN, log: log("mock-population") }),
  startPaygovMock({ port: portOf(env.PAYGOV_URL, 4040), partners: { [env.PAYGOV_PARTNER ?? "QNI"]: env.PAYGOV_SECRET ?? "dev-paygov-secret" }, log: log("mock-paygov") }),
  startMailMock({ smtpPort: portOf(env.SMTP_URL?.replace(/^smtps?:/, "http:"), 1025), httpPort: Number(env.MOCK_MAIL_HTTP_PORT ?? 4025), log: log("mock-mail") }),
  startSmsMock({ port: portOf(env.SMS_URL, 4026), token: env.SMS_TOKEN, log: log("mock-sms") }),
]);

const stop = async () => {
  await Promise.allSettled(running.map((r) => r.close()));
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
