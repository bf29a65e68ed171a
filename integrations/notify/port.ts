// What the portal depends on to notify citizens: one email or one SMS sent, and the outcome
// classified — sent (with the provider's id), or failed and worth retrying or not.

export type SendResult =
  | { ok: true; id: string }
  /** retryable: transient (timeout, connection refused, 4xx SMTP reply, HTTP 5xx/408/429): back off
   * and send again. Otherwise permanent (bad address, rejected content, bad credentials): dead-letter. */
  | { ok: false; retryable: boolean; error: string; afterMs?: number };

export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
  /** RFC 5322 Message-ID ("<…@…>") chosen by the caller, so a resend is recognisable downstream. */
  messageId?: string;
}

export interface MailSender {
  send(message: MailMessage): Promise<SendResult>;
}

export interface SmsMessage {
  /** Vietnamese mobile number, 10 digits starting with 0 (see sms/contract.ts). */
  to: string;
  text: string;
  /** Client reference: the gateway sends a message once per ref, however often it is posted. */
  ref: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<SendResult>;
}
