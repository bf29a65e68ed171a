/** A form post's fields, or null when the body is not a form (JSON, plain text, a broken multipart). */
export async function formFields(request: Request): Promise<Record<string, FormDataEntryValue> | null> {
  try {
    return Object.fromEntries(await request.formData());
  } catch {
    return null;
  }
}
