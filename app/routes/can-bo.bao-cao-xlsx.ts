// The indicators of /can-bo/bao-cao as an XLSX workbook (headings in the reader's language).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { xlsxResponse } from "~/lib/xlsx.server";
import { indicatorsToExport } from "~/modules/reports/export.server";
import { toXlsx, XLSX_COLUMNS } from "~/modules/reports/indicators.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { rows, t, filename } = await indicatorsToExport(await getDb(), request);
  const headings = Object.fromEntries(XLSX_COLUMNS.map((c) => [c, t(`reports.columns.${c}`)])) as Record<(typeof XLSX_COLUMNS)[number], string>;
  return xlsxResponse(toXlsx(rows, headings, t("reports.sheet")), filename("xlsx"));
}
