// What the portal depends on: one lookup in the national population database (for prefilling a
// form or checking what a citizen typed), classified so callers branch on data, not exceptions.

export interface LookupCitizenInput {
  /** The 12-digit personal identity number (CCCD). */
  identityNumber: string;
  /** When given, the database checks it against its record (exact, after trimming and NFC). */
  fullName?: string;
  /** yyyy-mm-dd; when given, checked against the record. */
  birthDate?: string;
  /** Who asks: the citizen's subject or the officer's id. The database logs every lookup against it. */
  requestedBy: string;
  /** What the lookup is for: the draft or dossier id. */
  requestId: string;
}

export interface PopulationAddress {
  communeCode: string;
  communeName: string;
  detail: string;
}

export interface PopulationRecord {
  identityNumber: string;
  fullName: string;
  /** yyyy-mm-dd */
  birthDate: string;
  sex: "Nam" | "Nữ";
  phone: string | null;
  email: string | null;
  permanentAddress: PopulationAddress;
  currentAddress: PopulationAddress;
}

export type LookupResult =
  | { kind: "found"; citizen: PopulationRecord }
  /** No citizen has this identity number. */
  | { kind: "not_found"; message: string }
  /** The number exists but the name or birth date given does not match the record. */
  | { kind: "mismatch"; message: string }
  /** Our request or credentials were refused (400, 401, 403): permanent, do not retry as is. */
  | { kind: "rejected"; status: number; code: number; message: string }
  /** Timeout, network error, 429/5xx or an unreadable answer: transient, try again later. */
  | { kind: "unavailable"; reason: string; afterMs?: number };

export interface PopulationRegistry {
  lookupCitizen(input: LookupCitizenInput): Promise<LookupResult>;
}
