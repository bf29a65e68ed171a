// The indicators of /can-bo/bao-cao as a CSV download.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { indicatorsToExport } from "~/modules/reports/export.server";
import { toCsv } from "~/modules/reports/indicators.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { rows, filename } = await indicatorsToExport(await getDb(), request);
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename("csv")}"`,
      "Cache-Control": "no-store",
    },
  });
}
