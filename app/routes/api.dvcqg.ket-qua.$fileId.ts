// Outbound attachments: the national portal downloads a dossier's result document through the signed
// link the sync sent it (DanhSachGiayToKetQua[].DuongDanTaiTepTin).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { nationalFileResponse } from "~/modules/results/national-link.server";
import { paramOf, UuidParam } from "~/lib/path-params.server";

export const loader = async ({ request, params, context: { services } }: LoaderFunctionArgs) => nationalFileResponse(await getDb(), services.storage, "result", paramOf(params, "fileId", UuidParam), request);
