// The seeded test citizens of Quảng Ninh, shared by the two mocks that stand in for national
// identity systems: the VNeID mock lets them log in, the population database mock answers lookups
// about them. Validated on load so a typo in the JSON fails at start, not in the middle of a test.
//
// Who is who, for the scenarios that need it:
//   - Trần Thị Bình (022190318264) lives away from her permanent address (Cẩm Phả → Bãi Cháy);
//   - Phạm Gia Huy (022219560731, born 2019) is her son, lives with her and has no phone or e-mail.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const Address = z.strictObject({
  communeCode: z.string().regex(/^\d{5}$/),
  communeName: z.string().min(1),
  detail: z.string().min(1),
});

const Citizen = z
  .strictObject({
    /** CCCD: 022 (Quảng Ninh) + century/sex digit + two-digit birth year + six digits. */
    identityNumber: z.string().regex(/^\d{12}$/),
    fullName: z.string().min(1).refine((s) => s === s.normalize("NFC").trim(), "full name must be trimmed NFC"),
    birthDate: z.iso.date(),
    sex: z.enum(["Nam", "Nữ"]),
    phone: z.string().regex(/^0\d{9}$/).nullable(),
    email: z.email().nullable(),
    permanentAddress: Address,
    currentAddress: Address,
    /** What the national single sign-on knows the citizen by. */
    vneid: z.strictObject({ sub: z.string().min(1), techId: z.uuid() }),
  });

export type TestCitizen = z.infer<typeof Citizen>;
export type TestAddress = z.infer<typeof Address>;

const here = path.dirname(fileURLToPath(import.meta.url));

function loadCitizens(): readonly TestCitizen[] {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(here, "fixtures", "citizens.json"), "utf8"));
  const list = z.object({ citizens: z.array(Citizen).min(1) }).parse(raw).citizens;
  for (const key of ["identityNumber", "vneid"] as const) {
    const seen = new Set(list.map((c) => (key === "vneid" ? c.vneid.sub : c.identityNumber)));
    if (seen.size !== list.length) throw new Error(`citizens.json: duplicate ${key}`);
  }
  return Object.freeze(list);
}

/** The shared password every test citizen logs in to the VNeID mock with. */
export const TEST_PASSWORD = "123456";

export const testCitizens: readonly TestCitizen[] = loadCitizens();

export const citizenByIdentityNumber = (id: string): TestCitizen | undefined => testCitizens.find((c) => c.identityNumber === id);

/** yyyy-mm-dd → dd/MM/yyyy, the date format of the national systems. */
export const toNationalDate = (isoDate: string): string => isoDate.split("-").reverse().join("/");
