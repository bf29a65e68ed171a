// The files an email carries: the receipt slip with "submitted", the letter with "refused" and
// "apology". Wired into the senders by server.ts only, so that processes which send no email
// (the standalone sync worker) never load the PDF renderers.
import { receiptForDossier } from "~/modules/filing/receipt.server";
import { letterForNotification } from "~/modules/letters/letters.server";
import type { AppDb } from "~db/client.server";
import type { Senders } from "./notifications.server";

export function emailAttachments(db: AppDb): NonNullable<Senders["attachmentsFor"]> {
  return async (row) => {
    if (!row.dossierId) return [];
    const lng = row.locale === "en" ? "en" : "vi";
    if (row.template === "refused" || row.template === "apology") {
      const letter = await letterForNotification(db, row.dossierId, (row.params as Record<string, unknown>).letter, lng);
      return letter ? [{ filename: letter.fileName, content: letter.pdf, contentType: "application/pdf" }] : [];
    }
    if (row.template !== "submitted") return [];
    const receipt = await receiptForDossier(db, row.dossierId, lng);
    return receipt ? [{ filename: `bien-nhan-${receipt.code}.pdf`, content: receipt.pdf, contentType: "application/pdf" }] : [];
  };
}
