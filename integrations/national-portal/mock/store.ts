// The mock national portal's state: its own database (its own PGlite directory, or the schema
// "mock_national" on a PostgreSQL server), so it survives restarts and never shares tables with
// the portal.
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}
export interface Store extends Sql {
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// citizen_filings.seq orders the paged LayHoSoTuDVCQG: it is drawn under a lock held to the end
// of the filing's transaction, so seq order is commit order and a reader never sees seq n+1
// before n (a cursor past n+1 would skip n for good). Truncating does not restart it: a cursor
// handed out before a reset stays behind every later filing.
const SCHEMA = `
create schema if not exists mock_national;
create table if not exists mock_national.sessions (
  token text primary key, username text not null, expires_at timestamptz not null);
create table if not exists mock_national.dossiers (
  ma_ho_so text primary key, madonvi text not null, data jsonb not null, status int not null,
  writes int not null default 1, created_at timestamptz not null default now(), updated_at timestamptz not null default now());
create table if not exists mock_national.progress (
  id bigserial primary key, ma_ho_so text not null, status int not null, at text not null,
  data jsonb not null, duplicate boolean not null default false, received_at timestamptz not null default now());
create index if not exists progress_dossier on mock_national.progress (ma_ho_so, id);
create table if not exists mock_national.refusals (
  id bigserial primary key, at timestamptz not null default now(), service text, error_code int not null,
  message text not null, ma_ho_so text, request jsonb);
create table if not exists mock_national.calls (
  id bigserial primary key, at timestamptz not null default now(), service text, outcome text not null);
create table if not exists mock_national.citizen_filings (
  ma_ho_so text primary key, data jsonb not null, delivered boolean not null default false,
  attempts int not null default 0, last_error text, created_at timestamptz not null default now());
create sequence if not exists mock_national.citizen_filing_seq;
create or replace function mock_national.next_citizen_filing_seq() returns bigint language sql volatile as $$
  select nextval('mock_national.citizen_filing_seq') from (select pg_advisory_xact_lock(4011)) as held $$;
alter table mock_national.citizen_filings add column if not exists seq bigint not null default mock_national.next_citizen_filing_seq();
create index if not exists citizen_filings_unit_seq on mock_national.citizen_filings ((split_part(data->>'DonViXuLy', '.', 4)), seq);
`;

export async function openStore(opts: { databaseUrl?: string; dir?: string }): Promise<Store> {
  let store: Store;
  if (opts.databaseUrl) {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    pool.on("error", (e) => process.stderr.write(`${JSON.stringify({ service: "mock-national", level: "warn", msg: "idle database connection lost", error: e.message })}\n`));
    const run = async <T>(c: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) =>
      (await c.query(text, params as unknown[])).rows as T[];
    store = {
      query: (text, params) => run(pool, text, params),
      async tx(fn) {
        const c = await pool.connect();
        try {
          await c.query("begin");
          const r = await fn({ query: (t, p) => run(c, t, p) });
          await c.query("commit");
          return r;
        } catch (e) {
          await c.query("rollback").catch(() => {});
          throw e;
        } finally {
          c.release();
        }
      },
      close: () => pool.end(),
    };
    // concurrent starts: serialise the DDL
    await store.tx(async (sql) => {
      await sql.query("select pg_advisory_xact_lock(4010)");
      for (const stmt of SCHEMA.split(";").map((s) => s.trim()).filter(Boolean)) await sql.query(stmt);
    });
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const dir = opts.dir ?? "memory://";
    if (dir !== "memory://") fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
    const db = dir === "memory://" ? new PGlite() : new PGlite(dir);
    await db.waitReady;
    await db.exec(SCHEMA);
    store = {
      query: async (text, params) => (await db.query(text, params as unknown[])).rows as never,
      tx: (fn) => db.transaction((t) => fn({ query: async (text, params) => (await t.query(text, params as unknown[])).rows as never })),
      close: () => db.close(),
    };
  }
  return store;
}

export async function resetStore(store: Store) {
  await store.query(
    "truncate mock_national.sessions, mock_national.dossiers, mock_national.progress, mock_national.refusals, mock_national.calls, mock_national.citizen_filings",
  );
}
