// The SMS gateway's HTTP API as the portal speaks it: POST /api/sms with a bearer token and
// { to, text, ref }. The schema validates requests in the mock and types the client.
import { z } from "zod";

/** Vietnamese mobile numbers: 10 digits, 03x/05x/07x/08x/09x. */
export const VN_MOBILE = /^0[35789]\d{8}$/;

export const SmsRequest = z.object({
  to: z
    .string({ error: "Thiếu số điện thoại người nhận" })
    .regex(VN_MOBILE, "Số điện thoại phải là số di động Việt Nam gồm 10 chữ số, ví dụ 0912345678"),
  text: z
    .string({ error: "Thiếu nội dung tin nhắn" })
    .min(1, "Nội dung tin nhắn không được để trống")
    .max(1000, "Nội dung tin nhắn dài quá 1000 ký tự"),
  ref: z
    .string({ error: "Thiếu mã tham chiếu (ref)" })
    .min(1, "Mã tham chiếu (ref) không được để trống")
    .max(100, "Mã tham chiếu (ref) dài quá 100 ký tự"),
});
export type SmsRequest = z.infer<typeof SmsRequest>;

/** 200: accepted; `duplicate` when this ref was accepted before (same id, nothing sent again). */
export interface SmsAccepted {
  id: string;
  status: "accepted";
  to: string;
  ref: string;
  duplicate: boolean;
}

/** Every non-2xx answer: a stable code and a Vietnamese message. */
export interface SmsError {
  error: "invalid_json" | "invalid_request" | "unauthorized" | "ref_conflict" | "unavailable" | "not_found" | "internal";
  message: string;
  issues?: { path: string; message: string }[];
}
