/**
 * A form post's fields, or null when the body is not a form (JSON, plain text, a broken multipart)
 * or a field carries NUL: no form of ours takes one, and PostgreSQL refuses it in any text
 * parameter (22021), so a field with NUL would otherwise be a 500 wherever it reaches SQL.
 */
export async function formFields(request: Request): Promise<Record<string, FormDataEntryValue> | null> {
  let fields: Record<string, FormDataEntryValue>;
  try {
    fields = Object.fromEntries(await request.formData());
  } catch {
    return null;
  }
  return Object.values(fields).some((v) => typeof v === "string" && v.includes("\u0000")) ? null : fields;
}
