// Reads the chip ID card's QR code: a USB scanner types it into the field (and its Enter submits),
// or a photo from the kiosk's camera is decoded in the browser with jsQR. The text is only put in
// the field; the server parses and checks it.
import jsQR from "jsqr";
import { useState } from "react";
import { useTranslation } from "react-i18next";

async function decode(file: File): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  ctx.drawImage(bitmap, 0, 0);
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(image.data, image.width, image.height)?.data ?? null;
}

export function QrScanner({ fieldId }: { fieldId: string }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <div className="kiosk-photo">
      <label htmlFor="qr-photo" className="button">{t("kiosk.scanPhoto")}</label>
      <input
        id="qr-photo"
        className="visually-hidden-file"
        type="file"
        accept="image/*"
        capture="environment"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = "";
          if (!file) return;
          const text = await decode(file).catch(() => null);
          const field = document.getElementById(fieldId) as HTMLInputElement | null;
          if (text && field) {
            field.value = text;
            setMessage({ ok: true, text: t("kiosk.scanRead") });
          } else setMessage({ ok: false, text: t("kiosk.scanFailed") });
        }}
      />
      <p role="status" className={message?.ok === false ? "alert error" : "note"}>{message?.text ?? ""}</p>
    </div>
  );
}
