// What the national single sign-on says about a citizen who logged in with VNeID (domain §6), in
// both the id_token and the userinfo answer. Addresses are objects with the commune code so the
// portal can prefill and route by commune without parsing text; a claim with no value is omitted.
import { type TestAddress, type TestCitizen, toNationalDate } from "../../population/fixtures";

export interface VneidAddressClaim {
  MaXa: string;
  TenXa: string;
  ChiTiet: string;
}

export interface VneidClaims {
  sub: string;
  /** 1 citizen, 2 business, 3 organisation. The mock only has citizens. */
  LoaiTaiKhoan: 1;
  SoDinhDanh: string;
  HoVaTen: string;
  /** dd/MM/yyyy */
  NgayThangNamSinh: string;
  GioiTinh: "Nam" | "Nữ";
  ThuongTru: VneidAddressClaim;
  NoiOHienNay: VneidAddressClaim;
  TechID: string;
  /** Level of assurance of the VNeID account: "2" is the chip-card-verified level. */
  loAs: "2";
  SoDienThoai?: string;
  email?: string;
}

/** The claims released with scope "profile" (scope "openid" releases only sub). */
export const PROFILE_CLAIMS = [
  "LoaiTaiKhoan", "SoDinhDanh", "HoVaTen", "NgayThangNamSinh", "GioiTinh",
  "ThuongTru", "NoiOHienNay", "TechID", "loAs", "SoDienThoai", "email",
] as const satisfies readonly (keyof VneidClaims)[];

const address = (a: TestAddress): VneidAddressClaim => ({ MaXa: a.communeCode, TenXa: a.communeName, ChiTiet: a.detail });

export function vneidClaims(c: TestCitizen): VneidClaims {
  return {
    sub: c.vneid.sub,
    LoaiTaiKhoan: 1,
    SoDinhDanh: c.identityNumber,
    HoVaTen: c.fullName,
    NgayThangNamSinh: toNationalDate(c.birthDate),
    GioiTinh: c.sex,
    ThuongTru: address(c.permanentAddress),
    NoiOHienNay: address(c.currentAddress),
    TechID: c.vneid.techId,
    loAs: "2",
    ...(c.phone ? { SoDienThoai: c.phone } : {}),
    ...(c.email ? { email: c.email } : {}),
  };
}
