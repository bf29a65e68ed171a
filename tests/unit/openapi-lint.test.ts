// The mock's OpenAPI document is clean under Redocly's recommended ruleset.
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "~integrations/national-portal/mock/openapi";

describe("OpenAPI document of the mock national portal", () => {
  it("has no lint problems (Redocly recommended rules)", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(openApiDocument()), absoluteRef: "/openapi.json", config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`)).toEqual([]);
  });
  it("describes the dossier and progress items the service validates", () => {
    const doc = openApiDocument();
    expect(JSON.stringify(doc.components.schemas.ServiceRequest)).toContain("#/components/schemas/NationalDossier");
    expect(doc.components.schemas.NationalDossier).toMatchObject({ type: "object" });
  });
  it("describes the forms the production profile accepts besides the canonical one (ADR 023)", () => {
    const { NationalDossier, ProgressRecord, ServiceRequest } = openApiDocument().components.schemas as unknown as Record<string, { properties: Record<string, { anyOf?: { type?: string; const?: string; enum?: string[] }[] }>; oneOf?: { properties: Record<string, { anyOf?: { enum?: string[] }[] }> }[] }>;
    const forms = (p: { anyOf?: { type?: string; const?: string }[] }) => (p.anyOf ?? []).map((a) => a.const === "" ? "empty" : a.type);
    expect(forms(NationalDossier.properties.NoiNopHoSo)).toEqual(expect.arrayContaining(["string", "number"]));
    expect(forms(NationalDossier.properties.NgayTra)).toContain("empty");
    expect(forms(ProgressRecord.properties.NgayBatDau)).toContain("empty");
    expect(forms(NationalDossier.properties.TrangThaiHoSo)).toEqual(expect.arrayContaining(["integer", "string"]));
    expect(JSON.stringify(NationalDossier.properties.DonViXuLy.anyOf)).toContain("An agency's name");
    const insert = ServiceRequest.oneOf!.find((v) => "isUpdating" in v.properties)!;
    expect(insert.properties.isUpdating.anyOf?.[1].enum).toEqual(["True", "False", "true", "false"]);
  });
});
