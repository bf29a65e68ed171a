// A local mail catcher: an SMTP server (no TLS, authentication optional and never checked) that
// parses every message and keeps the last 1000 in memory, and a small HTTP API to read them:
//   GET /messages[?to=addr]            newest first, without attachment contents
//   GET /messages/:id                  one message, attachments base64-encoded
//   GET /messages/:id/attachments/:n   the n-th attachment's bytes (e.g. the receipt PDF)
//   DELETE /messages                   forget everything
// Fault injection: failProbability answers MAIL FROM with "451 4.3.0" (a temporary failure).
import http from "node:http";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { rng } from "../../../national-portal/mock/faults";
import { listen, sendJson } from "../../../mock-http";

export interface MailMockOptions {
  /** 0: any free port (the running mock reports the actual one). */
  smtpPort: number;
  httpPort: number;
  host?: string;
  /** Probability (0..1) that a message is refused with a temporary failure (451). */
  failProbability?: number;
  seed?: number;
  /** Messages kept in memory, oldest dropped first (default 1000). */
  keep?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface CaughtAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  content: Buffer;
}

export interface CaughtMail {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  attachments: CaughtAttachment[];
}

export interface RunningMailMock {
  smtpUrl: string;
  smtpPort: number;
  httpUrl: string;
  httpPort: number;
  /** What was caught, oldest first. */
  messages(): CaughtMail[];
  close(): Promise<void>;
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.flatMap((v) => (v.address ? [v.address] : [])));

function summary(m: CaughtMail) {
  return { ...m, attachments: m.attachments.map(({ content: _content, ...meta }) => meta) };
}

function detail(m: CaughtMail) {
  return { ...m, attachments: m.attachments.map(({ content, ...meta }) => ({ ...meta, contentBase64: content.toString("base64") })) };
}

export async function startMailMock(opts: MailMockOptions): Promise<RunningMailMock> {
  const host = opts.host ?? "127.0.0.1";
  const keep = opts.keep ?? 1000;
  const failProbability = opts.failProbability ?? 0;
  const random = rng(opts.seed ?? 1);
  const log = opts.log ?? (() => {});
  const caught: CaughtMail[] = [];
  let nextId = 1;

  function store(parsed: ParsedMail, session: SMTPServerSession): CaughtMail {
    const m: CaughtMail = {
      id: String(nextId++),
      receivedAt: new Date().toISOString(),
      envelope: {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        to: session.envelope.rcptTo.map((r) => r.address),
      },
      messageId: parsed.messageId ?? null,
      from: addresses(parsed.from)[0] ?? null,
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      subject: parsed.subject ?? "",
      text: parsed.text ?? "",
      html: parsed.html || null,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size, content: a.content })),
    };
    caught.push(m);
    if (caught.length > keep) caught.splice(0, caught.length - keep);
    return m;
  }

  const smtp = new SMTPServer({
    name: "mock-mail.local",
    banner: "mock mail catcher",
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    size: 25 * 1024 * 1024,
    logger: false,
    closeTimeout: 2000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "anonymous" }); // any credentials will do
    },
    onMailFrom(_address, _session, callback) {
      if (failProbability > 0 && random() < failProbability) {
        log({ msg: "fault", fault: "tempfail" });
        return callback(Object.assign(new Error("4.3.0 Mock temporary failure, try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
            return callback(Object.assign(new Error("5.3.4 Message too big"), { responseCode: 552 }));
          }
          const m = store(parsed, session);
          log({ msg: "mail", id: m.id, to: m.envelope.to, subject: m.subject, attachments: m.attachments.length });
          callback();
        },
        (e: unknown) => callback(Object.assign(new Error(`5.6.0 Unparsable message: ${String(e)}`), { responseCode: 554 })),
      );
    },
  });
  smtp.on("error", (e) => log({ msg: "smtp error", error: String(e) }));

  const api = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    const parts = url.pathname.split("/").filter(Boolean);
    const find = (id: string) => caught.find((m) => m.id === id);
    try {
      if (url.pathname === "/health") return sendJson(res, 200, { ok: true });
      if (parts[0] === "messages" && parts.length === 1) {
        if (req.method === "DELETE") {
          const deleted = caught.length;
          caught.length = 0;
          return sendJson(res, 200, { deleted });
        }
        if (req.method === "GET") {
          const to = url.searchParams.get("to")?.toLowerCase();
          const list = to
            ? caught.filter((m) => [...m.envelope.to, ...m.to, ...m.cc].some((a) => a.toLowerCase() === to))
            : caught;
          return sendJson(res, 200, { total: list.length, messages: list.slice().reverse().map(summary) });
        }
      }
      if (req.method === "GET" && parts[0] === "messages" && parts.length === 2) {
        const m = find(parts[1]);
        return m ? sendJson(res, 200, detail(m)) : sendJson(res, 404, { error: "not_found", message: "Không tìm thấy thư" });
      }
      if (req.method === "GET" && parts[0] === "messages" && parts[2] === "attachments" && parts.length === 4) {
        const a = find(parts[1])?.attachments[Number(parts[3])];
        if (!a) return sendJson(res, 404, { error: "not_found", message: "Không tìm thấy tệp đính kèm" });
        const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(a.filename ?? `attachment-${parts[3]}`)}`;
        res.writeHead(200, { "content-type": a.contentType, "content-length": a.content.length, "content-disposition": disposition });
        return res.end(a.content);
      }
      return sendJson(res, 404, { error: "not_found", message: "Không tìm thấy" });
    } catch (e) {
      log({ msg: "mock error", error: String(e) });
      return sendJson(res, 500, { error: "internal", message: "Lỗi hệ thống" });
    }
  });
  api.keepAliveTimeout = 5000;

  const smtpPort = await listen(smtp.server, opts.smtpPort, host);
  let httpPort: number;
  try {
    httpPort = await listen(api, opts.httpPort, host);
  } catch (e) {
    await new Promise<void>((r) => smtp.close(() => r()));
    throw e;
  }
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    smtpPort,
    httpUrl: `http://${host}:${httpPort}`,
    httpPort,
    messages: () => caught.slice(),
    async close() {
      api.closeAllConnections();
      await Promise.all([
        new Promise((r) => api.close(r)),
        new Promise<void>((r) => smtp.close(() => r())),
      ]);
    },
  };
}
