// Demo staff accounts for development and tests (never in production: SEED_DEMO_STAFF=false).
// Listed in the README with their TOTP secrets so a newcomer can sign in.
import { eq, sql } from "drizzle-orm";
import { hashPassword } from "~/modules/identity/password.server";
import { selectRows, type AppDb } from "./client.server";
import { kioskDevices, staffUsers } from "./schema";

export const DEMO_PASSWORD = "Demo@2026-QuangNinh";
export const DEMO_STAFF = [
  { username: "motcua01", fullName: "Nguyễn Thị Lan", title: "Cán bộ một cửa", role: "desk", agencyCode: "000.01.31.H49", totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" },
  { username: "chuyenvien01", fullName: "Trần Văn Hùng", title: "Chuyên viên", role: "specialist", agencyCode: "000.01.31.H49", totpSecret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU" },
  { username: "lanhdao01", fullName: "Phạm Minh Đức", title: "Trưởng Công an", role: "leader", agencyCode: "000.01.31.H49", totpSecret: "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK" },
  { username: "motcua02", fullName: "Lê Thu Hà", title: "Cán bộ một cửa", role: "desk", agencyCode: "000.02.30.H49", totpSecret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" },
  { username: "congan01", fullName: "Đỗ Văn Kiên", title: "Cán bộ Công an xã", role: "police", agencyCode: "000.01.31.H49", totpSecret: "KNSWC3TFOQYTEMZUKNSWC3TFOQYTEMZU" },
  { username: "congan02", fullName: "Hoàng Minh Tâm", title: "Cán bộ Công an xã", role: "police", agencyCode: "000.01.31.H49", totpSecret: "IFBEGRCFIZDUQSKKIFBEGRCFIZDUQSKK" },
  { username: "congan03", fullName: "Lý Thị Nga", title: "Cán bộ Công an xã", role: "police", agencyCode: "000.02.31.H49", totpSecret: "GFSGKZTHNBUWU23MGFSGKZTHNBUWU23M" },
  { username: "quantri", fullName: "Quản trị hệ thống", title: "Quản trị viên", role: "admin", agencyCode: "000.00.00.H49", totpSecret: "ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU" },
] as const;

export async function seedDemoStaff(db: AppDb): Promise<number> {
  let created = 0;
  for (const s of DEMO_STAFF) {
    const [existing] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.username, s.username));
    if (existing) continue;
    await db.insert(staffUsers).values({ ...s, passwordHash: await hashPassword(DEMO_PASSWORD) }).onConflictDoNothing();
    created++;
  }
  return created;
}

/** A few dossiers at the demo desk (commune 01's police), so the back office has work to show. */
export async function seedDemoDossiers(db: AppDb): Promise<number> {
  const { createDossier } = await import("~/modules/dossiers/dossiers.server");
  const [{ n }] = await selectRows<{ n: number }>(db, sql`select count(*)::int as n from dossiers where agency_code = '000.01.31.H49'`);
  if (n > 0) return 0;
  const people = [
    ["Nguyễn Văn An", "022090001234", "0912345001", "1.004222"],
    ["Trần Thị Bình", "022190004321", "0987654002", "1.004194"],
    ["Lê Văn Cường", "022085005678", "0356789003", "1.004222"],
  ];
  for (const [name, id, phone, procedure] of people) {
    await createDossier(db, { procedureCode: procedure, agencyCode: "000.01.31.H49", channel: 2, applicantName: name, applicantIdNumber: id, applicantPhone: phone, actor: { name, kind: "citizen", id } });
  }
  return people.length;
}

/** Demo kiosks, each with a one-time enrolment code (README); enrolled on first use at /quay/thiet-bi. */
export const DEMO_KIOSKS = [
  { label: "Ki-ốt 01 — Công an xã 01", agencyCode: "000.01.31.H49", enrolCode: "QNKIO-SK001" },
  { label: "Ki-ốt 02 — Công an xã 01", agencyCode: "000.01.31.H49", enrolCode: "QNKIO-SK002" },
  { label: "Ki-ốt 03 — Công an xã 02", agencyCode: "000.02.31.H49", enrolCode: "QNKIO-SK003" },
] as const;

export async function seedDemoKiosks(db: AppDb): Promise<number> {
  const { hashEnrolCode } = await import("~/modules/kiosk/devices.server");
  let created = 0;
  for (const k of DEMO_KIOSKS) {
    const [existing] = await db.select({ id: kioskDevices.id }).from(kioskDevices).where(eq(kioskDevices.label, k.label));
    if (existing) continue;
    await db.insert(kioskDevices).values({
      label: k.label, agencyCode: k.agencyCode, enrolCodeHash: hashEnrolCode(k.enrolCode),
      enrolExpiresAt: new Date(Date.now() + 365 * 86_400_000), createdBy: "seed",
    });
    created++;
  }
  return created;
}
