// The real mail client: nodemailer's SMTP transport from a URL (smtp://user:pass@host:587,
// smtps://… for implicit TLS; ?requireTLS=true to insist on STARTTLS), one connection per message
// (no pool to go stale between rare sends), strict timeouts, and every failure classified:
// 4xx replies and connection trouble are retryable, 5xx replies and bad messages are not.
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { MailMessage, MailSender, SendResult } from "../port";

export interface SmtpMailConfig {
  /** e.g. smtp://127.0.0.1:1025 (the mock) */
  url: string;
  /** The From header, e.g. "Cổng Dịch vụ công Quảng Ninh <no-reply@quangninh.gov.vn>". */
  from: string;
  timeoutMs?: number;
}

/** Failures that will not go away by sending again. */
const PERMANENT_CODES = new Set(["EENVELOPE", "EMESSAGE", "EAUTH", "ECONFIG"]);

export function smtpTransportOptions(url: string, timeoutMs = 20_000): SMTPTransport.Options {
  const u = new URL(url);
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw new Error(`SMTP URL must start with smtp:// or smtps://, got ${u.protocol}`);
  const secure = u.protocol === "smtps:";
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    requireTLS: u.searchParams.get("requireTLS") === "true",
    ignoreTLS: u.searchParams.get("ignoreTLS") === "true",
    pool: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: Math.min(timeoutMs, 10_000),
    socketTimeout: timeoutMs,
  };
}

export function classifySmtpError(e: unknown): { retryable: boolean; error: string } {
  const err = e as Error & { code?: string; responseCode?: number; response?: string };
  const error = [err.code, err.responseCode, err.response ?? err.message].filter(Boolean).join(" ");
  if (typeof err.responseCode === "number") return { retryable: err.responseCode >= 400 && err.responseCode < 500, error };
  return { retryable: !PERMANENT_CODES.has(err.code ?? ""), error };
}

export class SmtpMailSender implements MailSender {
  private transport: Transporter<SMTPTransport.SentMessageInfo>;
  constructor(private cfg: SmtpMailConfig) {
    this.transport = nodemailer.createTransport(smtpTransportOptions(cfg.url, cfg.timeoutMs));
  }

  async send(message: MailMessage): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.cfg.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
          contentType: a.contentType,
        })),
      });
      if (info.rejected.length) return { ok: false, retryable: false, error: `rejected: ${info.rejected.join(", ")}` };
      return { ok: true, id: info.messageId };
    } catch (e) {
      return { ok: false, ...classifySmtpError(e) };
    }
  }

  close() {
    this.transport.close();
  }
}
