// OpenAPI 3.1 for the mock's API, generated from the zod schemas that validate its requests
// (the contract's canonical form), with the forms the production profile also accepts (ADR 023).
import { z } from "zod";
import { Answer, LoginRequest, NationalDossier, ProgressRecord, PullPage, ServiceRequest } from "../contract";
import { FaultConfig } from "./faults";
import { ProfileConfig } from "./lenient";

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

type Json = { [k: string]: unknown };
const PRODUCTION = "Accepted by the production profile and normalised, with a warning (GET /__admin/warnings); refused by the strict profile.";
const lenient = (s: Json, description: string): Json => ({ ...s, description: `${description} ${PRODUCTION}` });
/** A property's alternatives, without the null the contract allows for optional fields. */
const alternatives = (p: Json): Json[] => (Array.isArray(p.anyOf) ? (p.anyOf as Json[]).flatMap(alternatives) : [p]);

/** Property-specific forms real vendor systems send (integrations/national-portal/README.md). */
const VENDOR_FORMS: Record<string, Json[]> = {
  MaHoSo: [lenient({ type: "string", pattern: "^[0-9A-Z]{2,3}(?:\\.[0-9A-Z]{2,3}){3}-\\d{6}-\\d{5}$" }, "A 5-digit sequence (TD.DichVuCongApi).")],
  MaTTHC: [lenient({ type: "string", pattern: "^\\d\\.\\d{6}\\.[0-9A-Z]{2,3}(?:\\.[0-9A-Z]{2,3}){3}$" }, "The procedure code with an agency code of the caller's unit appended, which is dropped.")],
  DonViXuLy: [lenient({ type: "string", minLength: 1, maxLength: 255 }, "An agency's name (TenCoQuan of LayDanhMucCoQuan, the caller's unit), read as its code; an unknown name is refused (error_code 8).")],
};

/**
 * Adds to a generated object schema (and those nested in it) what the production profile accepts
 * besides the canonical form: a number for a text field, "" for an optional field that has no use
 * for it, and the vendor forms above. Digit strings for codes are canonical (the contract coerces).
 */
function acceptedForms(node: Json): Json {
  const props = node.properties as Record<string, Json> | undefined;
  if (props) {
    const required = new Set((node.required as string[] | undefined) ?? []);
    for (const [key, prop] of Object.entries(props)) {
      const alts = alternatives(prop).map(acceptedForms);
      const types = new Set(alts.map((a) => a.type));
      const extra: Json[] = [...(VENDOR_FORMS[key] ?? [])];
      if (types.has("integer")) extra.push({ type: "string", pattern: "^-?\\d+$", description: "A digit string, read as the number (canonical)." });
      if (types.has("string") && !types.has("number")) extra.push(lenient({ type: "number" }, "A number, read as text."));
      const refusesEmpty = alts.some((a) => a.type === "integer" || (a.type === "string" && (a.pattern || a.format || a.minLength)));
      if (!required.has(key) && refusesEmpty) extra.push(lenient({ type: "string", const: "" }, "The empty string, read as absent."));
      if (extra.length) props[key] = { anyOf: [...(Array.isArray(prop.anyOf) ? prop.anyOf as Json[] : [prop]).map(acceptedForms), ...extra] };
    }
    for (const key of ["NgayNopHoSo", "KenhThucHien"]) {
      if (props[key]) props[key] = { ...props[key], description: `Required by the strict profile; the production profile accepts it missing (${key === "NgayNopHoSo" ? "taken from NgayTiepNhan" : "stored as unknown, not counted as online"}), with a warning.` };
    }
    node.description = "Fields not listed are ignored by the production profile (with a warning) and refused by the strict profile.";
  }
  if (node.items && typeof node.items === "object") node.items = acceptedForms(node.items as Json);
  return node;
}

/** ServiceRequest, with the items of data[] pointing at the schemas that validate them. */
function serviceRequestSchema() {
  const doc = schema(ServiceRequest) as { oneOf?: { properties: Record<string, Json & { const?: string; items?: unknown; maxItems?: number }> }[] };
  for (const variant of doc.oneOf ?? []) {
    const service = variant.properties.service?.const;
    if (service === "DongBoHoSoMC") {
      variant.properties.data.items = { $ref: "#/components/schemas/NationalDossier" };
      const isUpdating = variant.properties.isUpdating as Json;
      variant.properties.isUpdating = { anyOf: [isUpdating, lenient({ type: "string", enum: ["True", "False", "true", "false"] }, "Text (OpenCPS, VSD send \"True\"/\"False\"), read as the boolean.")], default: false };
    }
    if (service === "TraCuuTechID") {
      variant.properties.mstorcmnd = lenient({ type: "string" }, "OpenCPS's name for soDinhDanh, read as it.");
      variant.properties.provider = lenient({ type: "string" }, "Sent by OpenCPS (\"wso2is\"); ignored.");
    }
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
      "/__admin/profile": {
        post: { operationId: "setProfile", tags: ["admin"], summary: "Switch between the production and strict profiles (GET returns the current one)", security: [], requestBody: { required: true, content: json("ProfileConfig") }, responses: { "200": { description: "Applied", content: json("ProfileConfig") }, "400": { description: "Unknown profile" } } },
      },
      "/__admin/faults": {
        post: { operationId: "setFaults", tags: ["admin"], summary: "Set fault probabilities (GET returns the current ones)", security: [], requestBody: { required: true, content: json("FaultConfig") }, responses: { "200": { description: "Applied", content: json("FaultConfig") }, "400": { description: "Invalid configuration" } } },
      },
    },
    components: {
      schemas: {
        LoginRequest: schema(LoginRequest),
        ServiceRequest: serviceRequestSchema(),
        NationalDossier: acceptedForms(schema(NationalDossier) as Json),
        ProgressRecord: acceptedForms(schema(ProgressRecord) as Json),
        PullAnswer: { ...schema(Answer.extend({ result: PullPage })), description: "The answer of a paged LayHoSoTuDVCQG; each item of result.data[] is meant to follow NationalDossier" },
        Answer: schema(Answer),
        FaultConfig: schema(FaultConfig),
        ProfileConfig: schema(ProfileConfig),
      },
    },
  };
}
