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
});
