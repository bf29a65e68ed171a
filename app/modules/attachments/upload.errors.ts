import { appError } from "~/lib/result";

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Why an upload was refused: every one a 4xx the citizen can act on (docs/decisions/003). */
export const UploadErrors = {
  notMultipart: () => appError("uploads.not_multipart", 415, "uploads.errors.notMultipart"),
  malformed: () => appError("uploads.malformed", 400, "uploads.errors.malformed"),
  aborted: () => appError("uploads.aborted", 400, "uploads.errors.aborted"),
  unknownSlot: (slot: string) => appError("uploads.unknown_slot", 400, "uploads.errors.unknownSlot", { slot: slot.slice(0, 100) }),
  tooManyFiles: (max: number) => appError("uploads.too_many_files", 413, "uploads.errors.tooManyFiles", { max }),
  tooManyFields: (max: number) => appError("uploads.too_many_fields", 413, "uploads.errors.tooManyFields", { max }),
  fieldTooLarge: (field: string) => appError("uploads.field_too_large", 413, "uploads.errors.fieldTooLarge", { field: field.slice(0, 100) }),
  fileTooLarge: (fileName: string, maxBytes: number) => appError("uploads.file_too_large", 413, "uploads.errors.fileTooLarge", { fileName, maxBytes, maxMb: mb(maxBytes) }),
  totalTooLarge: (maxBytes: number) => appError("uploads.total_too_large", 413, "uploads.errors.totalTooLarge", { maxBytes, maxMb: mb(maxBytes) }),
  emptyFile: (fileName: string) => appError("uploads.empty_file", 400, "uploads.errors.emptyFile", { fileName }),
  typeNotAllowed: (fileName: string) => appError("uploads.type_not_allowed", 415, "uploads.errors.typeNotAllowed", { fileName }),
  /** The bytes are one allowed type, the name or declared content type says another. */
  typeMismatch: (fileName: string, detected: string, declared: string) => appError("uploads.type_mismatch", 415, "uploads.errors.typeMismatch", { fileName, detected, declared }),
  /** Readable as two formats at once: markup near the start, or a signature after a prologue. */
  polyglot: (fileName: string) => appError("uploads.polyglot", 415, "uploads.errors.polyglot", { fileName }),
  /** A PDF carrying scripts, launch actions or embedded files. */
  activeContent: (fileName: string, name: string) => appError("uploads.active_content", 415, "uploads.errors.activeContent", { fileName, name }),
  /** The virus scanner recognised the file (for the caller of scanFile). */
  infected: (fileName: string) => appError("uploads.infected", 422, "uploads.errors.infected", { fileName }),
};
