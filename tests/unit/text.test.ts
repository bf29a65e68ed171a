import { describe, expect, it } from "vitest";
import { foldVietnamese, searchText } from "~/lib/text";

describe("foldVietnamese", () => {
  it("removes tone and vowel marks and lower-cases", () => {
    expect(foldVietnamese("Đăng ký THƯỜNG trú")).toBe("dang ky thuong tru");
    expect(foldVietnamese("Ủy ban nhân dân phường Hạ Long")).toBe("uy ban nhan dan phuong ha long");
  });
  it("folds đ and Đ to d, which NFD alone does not", () => {
    expect("đ".normalize("NFD")).toBe("đ");
    expect(foldVietnamese("ĐƯỜNG đi")).toBe("duong di");
  });
  it("keeps procedure codes and turns punctuation into single spaces", () => {
    expect(foldVietnamese("  1.004222 — (Đăng ký)  ")).toBe("1.004222 dang ky");
    expect(foldVietnamese("a,b;c")).toBe("a b c");
  });
  it("handles precomposed and decomposed input alike", () => {
    expect(foldVietnamese("tru\u0300")).toBe(foldVietnamese("trù"));
  });
  it("folds full-width letters and digits like the plain ones (NFKD)", () => {
    expect(foldVietnamese("Ｄăng ｋý")).toBe("dang ky");
    expect(foldVietnamese("１.００４２２２")).toBe("1.004222");
  });
});

describe("searchText", () => {
  it("normalises compatibility forms with NFKC: full-width text is the text it stands for", () => {
    expect(searchText("Ｄăng ｋý")).toBe("Dăng ký");
    expect(searchText("Ｎguyễn")).toBe("Nguyễn");
    // decomposed marks are composed, as stored names are
    expect(searchText("tru\u0300")).toBe("trù");
  });
});
