// LayHoSoTuDVCQG paged by a cursor (docs/decisions/024-incremental-pull.md): one page of a unit's
// citizen filings after the cursor, in seq order (commit order: store.ts), read through the
// (unit, seq) index so a page costs the same however many filings came before it.
import type { PullPage } from "../contract";
import type { Sql } from "./store";

const CURSOR_MESSAGE = "Con trỏ phân trang không hợp lệ";

// opaque to callers: "f:<seq>" in base64url
const encode = (seq: string) => Buffer.from(`f:${seq}`).toString("base64url");
const decode = (cursor: string) => /^f:(\d{1,18})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"))?.[1];

export async function readPullPage(sql: Sql, madonvi: string, cursor: string | null, size: number): Promise<PullPage | { refusal: string }> {
  const after = cursor ? decode(cursor) : "0";
  if (after === undefined) return { refusal: CURSOR_MESSAGE };
  const rows = await sql.query<{ seq: string; data: unknown }>(
    // ordered by the bigint column, not the text alias beside it ("10" < "7")
    `select f.seq::text as seq, f.data from mock_national.citizen_filings f
     where split_part(f.data->>'DonViXuLy', '.', 4) = $1 and f.seq > $2::bigint order by f.seq limit $3`,
    [madonvi.split(".").pop(), after, size + 1],
  );
  const page = rows.slice(0, size);
  const last = page.at(-1);
  // an empty page hands the same cursor back: the caller stays where it was
  return { data: page.map((r) => r.data), cursor: last ? encode(last.seq) : cursor, conTiep: rows.length > size };
}

/** The cursor after filing `seq`: for seeding a province's cursor straight into its database (benchmarks). */
export const pullCursorAt = (seq: number | string) => encode(String(seq));
