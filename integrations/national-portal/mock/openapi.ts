// OpenAPI 3.1 for the mock's API, generated from the zod schemas that validate its requests.
import { z } from "zod";
import { Answer, LoginRequest, NationalDossier, ProgressRecord, PullPage, ServiceRequest } from "../contract";
import { FaultConfig } from "./faults";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

/** ServiceRequest, with the items of data[] pointing at the schemas that validate them. */
function serviceRequestSchema() {
  const doc = schema(ServiceRequest) as { oneOf?: { properties: Record<string, { const?: string; items?: unknown; maxItems?: number }> }[] };
  for (const variant of doc.oneOf ?? []) {
    const service = variant.properties.service?.const;
    if (service === "DongBoHoSoMC") variant.properties.data.items = { $ref: "#/components/schemas/NationalDossier" };
    if (service === "CapNhatTienDoHoSoMC") variant.properties.data = { ...variant.properties.data, items: { $ref: "#/components/schemas/ProgressRecord" }, maxItems: 10 };
  }
  return doc;
}

export function openApiDocument() {
  const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
  return {
    openapi: "3.1.0",
    info: {
      title: "National Public Service Portal — sync API (mock)",
      version: "1.0.0",
      description: "Sessions are carried in the request body (field `session`), not in HTTP headers, as the national portal does. The login/service envelope provincial systems use to sync dossiers and progress with the National Public Service Portal, as implemented by the fault-injecting mock.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/" }],
    tags: [{ name: "sync", description: "Dossier sync" }, { name: "admin", description: "Integrator tools" }],
    paths: {
      "/mapi/login": {
        post: {
          operationId: "login", tags: ["sync"], summary: "Open a session",
          description: "Credentials travel in the body; the answer carries the session token for /mapi/service.",
          security: [],
          requestBody: { required: true, content: json("LoginRequest") },
          responses: {
            "200": { description: "Answer; error_code 0 with a session on success", content: json("Answer") },
            "400": { description: "The body is not valid JSON", content: json("Answer") },
          },
        },
      },
      "/mapi/service": {
        post: {
          operationId: "service", tags: ["sync"], summary: "Call a business service",
          description: "Dispatches on `service`. Dossiers in `DongBoHoSoMC.data[]` follow NationalDossier; progress records in `CapNhatTienDoHoSoMC.data[]` (at most 10) follow ProgressRecord. `LayHoSoTuDVCQG` with `soLuong` (and, after the first page, the `cursor` of the previous answer) answers a PullPage: the filings after the cursor in the order they were stored, the cursor to ask from next (opaque) and `conTiep` (more follow); without `soLuong` or `cursor` it answers every filing as a list.",
          security: [],
          requestBody: { required: true, content: json("ServiceRequest") },
          responses: {
            "200": {
              description: "Answer (business errors also come with HTTP 200); a paged LayHoSoTuDVCQG answers a PullAnswer",
              content: { "application/json": { schema: { anyOf: [{ $ref: "#/components/schemas/Answer" }, { $ref: "#/components/schemas/PullAnswer" }] } } },
            },
            "400": { description: "The body is not valid JSON", content: json("Answer") },
            "429": { description: "Rate limited; see Retry-After", headers: { "Retry-After": { schema: { type: "integer" } } } },
            "503": { description: "Maintenance; see Retry-After", headers: { "Retry-After": { schema: { type: "integer" } } } },
          },
        },
      },
      "/__admin/faults": {
        post: { operationId: "setFaults", tags: ["admin"], summary: "Set fault probabilities (GET returns the current ones)", security: [], requestBody: { required: true, content: json("FaultConfig") }, responses: { "200": { description: "Applied", content: json("FaultConfig") }, "400": { description: "Invalid configuration" } } },
      },
    },
    components: {
      schemas: {
        LoginRequest: schema(LoginRequest),
        ServiceRequest: serviceRequestSchema(),
        NationalDossier: schema(NationalDossier),
        ProgressRecord: schema(ProgressRecord),
        PullAnswer: { ...schema(Answer.extend({ result: PullPage })), description: "The answer of a paged LayHoSoTuDVCQG; each item of result.data[] is meant to follow NationalDossier" },
        Answer: schema(Answer),
        FaultConfig: schema(FaultConfig),
      },
    },
  };
}
