// Outbound attachments: the national portal downloads a dossier's result document through the
// signed link the sync sent it (DanhSachGiayToKetQua[].DuongDanTaiTepTin).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { storedFileResponse } from "~/lib/stored-file-response.server";
import { nationalResultFile } from "~/modules/results/national-link.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const sig = new URL(request.url).searchParams.get("sig") ?? "";
  const r = await nationalResultFile(await getDb(), params.fileId ?? "", sig);
  if (!r.ok) throw new Response("Not Found", { status: r.error.status });
  return storedFileResponse(r.value, "attachment");
}
