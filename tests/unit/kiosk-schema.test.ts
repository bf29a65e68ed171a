// The chip ID card's QR text as a USB scanner types it or jsQR decodes it, and the typed form.
import { describe, expect, it } from "vitest";
import { ManualIdentify, maskPhone, parseCardQr } from "~/modules/kiosk/kiosk.schema";

const QR = "022085004517|022085004|Nguyễn Văn An|14031985|Nam|Số 12, phố Lê Thánh Tông, Phường Hồng Gai|01012021";

describe("chip ID card QR", () => {
  it("reads the pipe-separated fields, with a scanner's trailing newline", () => {
    expect(parseCardQr(`${QR}\r\n`)).toEqual({
      idNumber: "022085004517", oldIdNumber: "022085004", fullName: "Nguyễn Văn An", birthDate: "1985-03-14", sex: "Nam",
      address: "Số 12, phố Lê Thánh Tông, Phường Hồng Gai", issuedOn: "2021-01-01",
    });
  });

  it("normalises decomposed Vietnamese (NFD) to NFC, as the population database compares", () => {
    expect(parseCardQr(QR.normalize("NFD"))?.fullName).toBe("Nguyễn Văn An");
  });

  it("refuses what is not a card: too few fields, a bad number, an impossible date", () => {
    expect(parseCardQr("https://example.com")).toBeNull();
    expect(parseCardQr(QR.replace("022085004517", "02208500451"))).toBeNull();
    expect(parseCardQr(QR.replace("14031985", "31021985"))).toBeNull();
    expect(parseCardQr(QR.replace("Nguyễn Văn An", " "))).toBeNull();
  });
});

describe("typed identification", () => {
  it("accepts dd/mm/yyyy and gives the ISO date; refuses a bad one", () => {
    expect(ManualIdentify.parse({ idNumber: "022085004517", fullName: " Nguyễn Văn An ", birthDate: "14/03/1985" }))
      .toEqual({ idNumber: "022085004517", fullName: "Nguyễn Văn An", birthDate: "1985-03-14" });
    const bad = ManualIdentify.safeParse({ idNumber: "022085004517", fullName: "An", birthDate: "30/02/1985" });
    expect(bad.success ? null : bad.error.issues[0].message).toBe("kiosk.errors.birthDate");
  });

  it("shows only the phone's last three digits", () => {
    expect(maskPhone("0983214765")).toBe("•••••••765");
  });
});
