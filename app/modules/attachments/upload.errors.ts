import type { AppError } from "~/lib/result";

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Why an upload was refused: every one a 4xx the citizen can act on (docs/decisions/003). */
export const UploadErrors = {
  notMultipart: (): AppError => ({ code: "uploads.not_multipart", status: 415, i18nKey: "uploads.errors.notMultipart" }),
  malformed: (): AppError => ({ code: "uploads.malformed", status: 400, i18nKey: "uploads.errors.malformed" }),
  aborted: (): AppError => ({ code: "uploads.aborted", status: 400, i18nKey: "uploads.errors.aborted" }),
  unknownSlot: (slot: string): AppError => ({
    code: "uploads.unknown_slot", status: 400, i18nKey: "uploads.errors.unknownSlot", params: { slot: slot.slice(0, 100) },
  }),
  tooManyFiles: (max: number): AppError => ({ code: "uploads.too_many_files", status: 413, i18nKey: "uploads.errors.tooManyFiles", params: { max } }),
  tooManyFields: (max: number): AppError => ({ code: "uploads.too_many_fields", status: 413, i18nKey: "uploads.errors.tooManyFields", params: { max } }),
  fieldTooLarge: (field: string): AppError => ({
    code: "uploads.field_too_large", status: 413, i18nKey: "uploads.errors.fieldTooLarge", params: { field: field.slice(0, 100) },
  }),
  fileTooLarge: (fileName: string, maxBytes: number): AppError => ({
    code: "uploads.file_too_large", status: 413, i18nKey: "uploads.errors.fileTooLarge", params: { fileName, maxBytes, maxMb: mb(maxBytes) },
  }),
  totalTooLarge: (maxBytes: number): AppError => ({
    code: "uploads.total_too_large", status: 413, i18nKey: "uploads.errors.totalTooLarge", params: { maxBytes, maxMb: mb(maxBytes) },
  }),
  emptyFile: (fileName: string): AppError => ({ code: "uploads.empty_file", status: 400, i18nKey: "uploads.errors.emptyFile", params: { fileName } }),
  typeNotAllowed: (fileName: string): AppError => ({
    code: "uploads.type_not_allowed", status: 415, i18nKey: "uploads.errors.typeNotAllowed", params: { fileName },
  }),
  /** The bytes are one allowed type, the name or declared content type says another. */
  typeMismatch: (fileName: string, detected: string, declared: string): AppError => ({
    code: "uploads.type_mismatch", status: 415, i18nKey: "uploads.errors.typeMismatch", params: { fileName, detected, declared },
  }),
  /** Readable as two formats at once: markup near the start, or a signature after a prologue. */
  polyglot: (fileName: string): AppError => ({ code: "uploads.polyglot", status: 415, i18nKey: "uploads.errors.polyglot", params: { fileName } }),
  /** A PDF carrying scripts, launch actions or embedded files. */
  activeContent: (fileName: string, name: string): AppError => ({
    code: "uploads.active_content", status: 415, i18nKey: "uploads.errors.activeContent", params: { fileName, name },
  }),
  /** The virus scanner recognised the file (for the caller of scanFile). */
  infected: (fileName: string): AppError => ({ code: "uploads.infected", status: 422, i18nKey: "uploads.errors.infected", params: { fileName } }),
};
