import { data } from "@remix-run/node";
import { getFixedT } from "~/i18next.server";
import { CONTROL_CHARS_KEY, hasControlChars } from "~/lib/text";

/**
 * A form post's fields, or null when the body is not a form (JSON, plain text, a broken multipart).
 *
 * A field holding a control character (tab and line breaks aside: multi-line fields keep them) is
 * refused here, for every action at once, with a translated 400 naming the field: no such value
 * reaches a schema or the database unnoticed. The schemas refuse them too (`plainText`), which is
 * what shows the error at the field in the browser before the form is posted.
 */
export async function formFields(request: Request): Promise<Record<string, FormDataEntryValue> | null> {
  let fields: Record<string, FormDataEntryValue>;
  try {
    fields = Object.fromEntries(await request.formData());
  } catch {
    return null;
  }
  const bad = Object.entries(fields).find(([name, value]) => hasControlChars(name, { multiline: true }) || (typeof value === "string" && hasControlChars(value, { multiline: true })));
  if (bad) {
    const { t } = await getFixedT(request);
    const field = bad[0].slice(0, 40);
    // one reply every caller understands: the error page shows `message`; actions' own replies carry formError/fieldErrors
    throw data({ message: t(CONTROL_CHARS_KEY), formError: CONTROL_CHARS_KEY, fieldErrors: { [field]: CONTROL_CHARS_KEY }, params: {} }, { status: 400 });
  }
  return fields;
}
