// Readiness: the database answers within two seconds.
import { dbHandle } from "~/db.server";
import { checkDatabase } from "~/modules/health/health.server";

export async function loader() {
  const db = await checkDatabase(await dbHandle()).catch((e: unknown) => ({ ok: false, latencyMs: 0, error: String(e) }));
  return Response.json(
    { status: db.ok ? "ready" : "unavailable", database: db },
    { status: db.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
