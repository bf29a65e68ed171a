// The public catalogue: search and read procedures, list communes and their agencies.
import { asc, eq, sql } from "drizzle-orm";
import { err, ok } from "~/lib/result";
import { foldVietnamese } from "~/lib/text";
import { TtlCache } from "~/lib/ttl-cache";
import { selectRows, type AppDb } from "~db/client.server";
import { agencies, communes, procedureDocuments, procedureFees, procedures } from "~db/schema";
import { PAGE_SIZE, ProcedureCode, type CatalogQuery } from "./catalog.schema";
import { CatalogErrors } from "./catalog.errors";

export interface ProcedureSummary {
  code: string;
  nameVi: string;
  nameEn: string;
  field: string;
  level: string;
  agencyKind: string;
  processingValue: number | null;
  processingUnit: string | null;
  feeAmountVnd: number | null;
  onlineMode: string;
}

export interface SearchPage {
  items: ProcedureSummary[];
  total: number;
  page: number;
  pageCount: number;
}

/**
 * Ranked search. The query and the stored text are both folded (no diacritics, đ→d, lower case),
 * and pg_trgm trigram similarity tolerates small typos ("dang ki" finds "đăng ký"). Ranking:
 * an exact procedure code first, then similarity of the whole name (short exact names win) plus
 * word similarity against names, English name and field.
 */
export async function searchProcedures(db: AppDb, query: CatalogQuery): Promise<SearchPage> {
  const folded = foldVietnamese(query.q);
  const raw = query.q.trim();
  const filters = [sql`true`];
  if (query.field) filters.push(sql`${procedures.field} = ${query.field}`);
  if (query.level) filters.push(sql`${procedures.level} = ${query.level}`);
  if (query.agency) filters.push(sql`${procedures.agencyKind} = ${query.agency}`);
  if (query.fee === "free") filters.push(sql`${procedures.feeAmountVnd} = 0`);
  if (query.fee === "paid") filters.push(sql`${procedures.feeAmountVnd} > 0`);
  if (query.online === "full") filters.push(sql`${procedures.onlineMode} = 'full'`);
  if (query.online === "any") filters.push(sql`${procedures.onlineMode} <> 'none'`);

  const offset = (query.page - 1) * PAGE_SIZE;
  const empty = { items: [], total: 0, page: query.page, pageCount: 1 };
  // Only punctuation or wildcards: nothing meaningful to look for.
  if (raw && !folded) return empty;
  const where = sql.join(filters, sql` and `);
  const cols = sql`code, name_vi as "nameVi", name_en as "nameEn", field, level, agency_kind as "agencyKind",
    processing_value::float8 as "processingValue", processing_unit as "processingUnit",
    fee_amount_vnd as "feeAmountVnd", online_mode as "onlineMode"`;
  const codePrefix = raw.replace(/[%_\\]/g, "") + "%";

  const matches = folded
    ? sql`select ${cols},
          (case when code = ${raw} then 10 when code like ${codePrefix} then 5 else 0 end
           + greatest(similarity(search_name, ${folded}), similarity(lower(name_en), ${folded}))
           + word_similarity(${folded}, search_text)) as score,
          length(search_name) as len
        from ${procedures}
        where ${where} and (code like ${codePrefix}
          or ${folded} <% search_text or search_name % ${folded} or search_text like ${"%" + folded + "%"})`
    : sql`select ${cols}, 0 as score, 0 as len from ${procedures} where ${where}`;
  const order = folded ? sql`score desc, len, code` : sql`field, code`;

  const rows = await selectRows<ProcedureSummary & { total: number; score: number; len: number }>(
    db,
    sql`select m.*, count(*) over()::int as total from (${matches}) m
      order by ${order} limit ${PAGE_SIZE} offset ${offset}`,
  );
  // A page past the end has no row to carry the window count: count separately.
  const total = rows[0]?.total ?? (offset > 0 ? await countRows(db, matches) : 0);
  return {
    items: rows.map(({ total: _t, score: _s, len: _l, ...p }) => p),
    total,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
  };
}

async function countRows(db: AppDb, statement: ReturnType<typeof sql>): Promise<number> {
  const [row] = await selectRows<{ n: number }>(db, sql`select count(*)::int as n from (${statement}) s`);
  return Number(row?.n ?? 0);
}

export async function listFields(db: AppDb): Promise<string[]> {
  const rows = await db.selectDistinct({ field: procedures.field }).from(procedures).orderBy(asc(procedures.field));
  return rows.map((r) => r.field);
}

export async function getProcedure(db: AppDb, code: string) {
  if (!ProcedureCode.safeParse(code).success) return err(CatalogErrors.notFound(code));
  const [procedure] = await db.select().from(procedures).where(eq(procedures.code, code));
  if (!procedure) return err(CatalogErrors.notFound(code));
  const [documents, fees] = await Promise.all([
    db.select().from(procedureDocuments).where(eq(procedureDocuments.procedureCode, code)).orderBy(asc(procedureDocuments.position)),
    db.select().from(procedureFees).where(eq(procedureFees.procedureCode, code)).orderBy(asc(procedureFees.position)),
  ]);
  const { searchName: _n, searchText: _t, contentHash: _h, updatedAt, ...rest } = procedure;
  return ok({ ...rest, updatedAt: updatedAt.toISOString(), documents, fees });
}
export type ProcedureDetail = Extract<Awaited<ReturnType<typeof getProcedure>>, { ok: true }>["value"];

export interface CommuneWithAgencies {
  code: string;
  name: string;
  type: string;
  agencies: { code: string; nameVi: string; nameEn: string; kind: string }[];
}

export async function listCommunes(db: AppDb, q = ""): Promise<CommuneWithAgencies[]> {
  const folded = foldVietnamese(q);
  const rows = await db
    .select({
      code: communes.code, name: communes.name, type: communes.type,
      agencyCode: agencies.code, nameVi: agencies.nameVi, nameEn: agencies.nameEn, kind: agencies.kind,
    })
    .from(communes)
    .leftJoin(agencies, eq(agencies.communeCode, communes.code))
    .where(folded ? sql`${communes.searchName} like ${"%" + folded + "%"}` : undefined)
    .orderBy(asc(communes.searchName), asc(agencies.code));
  const byCode = new Map<string, CommuneWithAgencies>();
  for (const r of rows) {
    let c = byCode.get(r.code);
    if (!c) byCode.set(r.code, (c = { code: r.code, name: r.name, type: r.type, agencies: [] }));
    if (r.agencyCode) c.agencies.push({ code: r.agencyCode, nameVi: r.nameVi!, nameEn: r.nameEn!, kind: r.kind! });
  }
  return [...byCode.values()];
}

// Read cache for the public pages (ADR 006): the catalogue changes rarely and may be up to
// CATALOG_CACHE_MS stale on an instance; search results and the field list are what every
// catalogue page asks for.
const CATALOG_CACHE_MS = 30_000;
const caches = new WeakMap<AppDb, { search: TtlCache<SearchPage>; fields: TtlCache<string[]> }>();
function cacheFor(db: AppDb) {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { search: new TtlCache(CATALOG_CACHE_MS, 1000), fields: new TtlCache(CATALOG_CACHE_MS, 1) }));
  return c;
}

export function searchProceduresCached(db: AppDb, query: CatalogQuery): Promise<SearchPage> {
  const key = JSON.stringify([foldVietnamese(query.q), query.q.trim(), query.field, query.level, query.agency, query.fee, query.online, query.page]);
  return cacheFor(db).search.get(key, () => searchProcedures(db, query));
}

export function listFieldsCached(db: AppDb): Promise<string[]> {
  return cacheFor(db).fields.get("fields", () => listFields(db));
}

/** After an edit of the catalogue on this instance (other instances catch up within the TTL). */
export function invalidateCatalogCache(db: AppDb): void {
  caches.delete(db);
}
