// The PayGov checksum (MaXacThuc), in one place for the client, the mock and the portal:
//
//   MaXacThuc = lowercase hex( SHA-256( UTF-8( f1 | f2 | … | fn | secret ) ) )
//
// over the message's fields in the fixed orders below, each written as it travels on the wire
// (SoTien as a plain decimal integer, times as yyyyMMddHHmmss in Vietnam time, UTC+7).
// Fields outside the order (ThongTinGiaoDich, NgonNgu, BienLai) are not covered; the mock binds
// the receipt to the covered amount by requiring the fee lines to add up to SoTien.
// A field containing "|" would make the joined text ambiguous, so it is refused outright.
import crypto from "node:crypto";

/** INIT (portal → PayGov), in checksum order. */
export const INIT_CHECKSUM_FIELDS = ["MaDoiTac", "MaThamChieu", "SoTien", "ThoiGianGD", "UrlCallback", "UrlReturn"] as const;

/** Payment result (PayGov → portal: server-to-server callback body and browser return query), in checksum order. */
export const CALLBACK_CHECKSUM_FIELDS = ["MaDoiTac", "MaThamChieu", "MaGiaoDich", "SoTien", "TrangThai", "ThoiGianThanhToan"] as const;

type ChecksumFieldNames = typeof INIT_CHECKSUM_FIELDS | typeof CALLBACK_CHECKSUM_FIELDS;
type Message<N extends ChecksumFieldNames> = { readonly [K in N[number]]: string | number };

export function checksum(fields: readonly string[], secret: string): string {
  const bad = fields.findIndex((f) => f.includes("|"));
  if (bad >= 0) throw new RangeError(`checksum field #${bad + 1} contains "|"`);
  return crypto.createHash("sha256").update(`${fields.join("|")}|${secret}`, "utf8").digest("hex");
}

/** Compares a received MaXacThuc with the expected one in constant time (case-insensitive hex). */
export function verifyChecksum(fields: readonly string[], secret: string, given: unknown): boolean {
  if (typeof given !== "string" || !/^[0-9a-fA-F]{64}$/.test(given)) return false;
  let expected: string;
  try {
    expected = checksum(fields, secret);
  } catch {
    return false;
  }
  return crypto.timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
}

/** The values of `names` in `message`, as wire text, in checksum order. */
export function checksumFields<N extends ChecksumFieldNames>(message: Message<N>, names: N): string[] {
  return names.map((n) => String((message as Record<string, string | number>)[n]));
}

export const initChecksum = (message: Message<typeof INIT_CHECKSUM_FIELDS>, secret: string) =>
  checksum(checksumFields(message, INIT_CHECKSUM_FIELDS), secret);

export const callbackChecksum = (message: Message<typeof CALLBACK_CHECKSUM_FIELDS>, secret: string) =>
  checksum(checksumFields(message, CALLBACK_CHECKSUM_FIELDS), secret);
