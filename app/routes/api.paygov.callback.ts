// PayGov's server-to-server payment result. Answers {"MaLoi":"00"} once the result is applied (or
// was already); anything refused is logged and answered with an error so PayGov keeps it visible.
// A resource route: Response.json, because data()'s status is not applied here (single fetch).
import { type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { readBodyText } from "~/lib/request-body.server";
import { applyPaymentResult } from "~/modules/payments/payments.server";

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  if (request.method !== "POST") return Response.json({ MaLoi: "01", MoTaLoi: "Phương thức không hỗ trợ" }, { status: 405 });
  const text = await readBodyText(request, 10_000);
  if (!text.ok) return Response.json({ MaLoi: "01", MoTaLoi: "Dữ liệu quá lớn" }, { status: 413 });
  let body: unknown;
  try {
    body = JSON.parse(text.value);
  } catch {
    return Response.json({ MaLoi: "01", MoTaLoi: "Dữ liệu không hợp lệ" }, { status: 400 });
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return Response.json({ MaLoi: "01", MoTaLoi: "Dữ liệu không hợp lệ" }, { status: 400 });
  const r = await applyPaymentResult(await getDb(), services.paygov, body as Record<string, unknown>, "callback");
  if (!r.ok) return Response.json({ MaLoi: r.error.code === "payment.late" ? "05" : "09", MoTaLoi: "Kết quả thanh toán bị từ chối" }, { status: r.error.status });
  return Response.json({ MaLoi: "00", MoTaLoi: "Thành công" });
}

export const loader = () => Response.json({ MaLoi: "01", MoTaLoi: "Phương thức không hỗ trợ" }, { status: 405 });
