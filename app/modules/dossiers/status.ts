// The dossier state machine over the national status codes (TrangThaiHoSo). The one place that
// decides which status may follow which: routes, the worker and inbound sync all go through it.
export const DossierStatus = {
  NEW: 1, RECEIVED: 2, REFUSED: 3, PROCESSING: 4, SUPPLEMENT: 5, PAYMENT: 6,
  WITHDRAWN: 7, STOPPED: 8, DONE: 9, RETURNED: 10,
} as const;
export type DossierStatus = (typeof DossierStatus)[keyof typeof DossierStatus];

const NEXT: Record<number, readonly number[]> = { 1: [2, 3], 2: [4], 4: [5, 6, 8, 9], 5: [4], 6: [4], 9: [10] };
/** States in which the dossier is still open (withdrawal is possible). */
const OPEN = new Set<number>([1, 2, 4, 5, 6]);

export function canTransition(from: number, to: number): boolean {
  if (to === DossierStatus.WITHDRAWN) return OPEN.has(from);
  return (NEXT[from] ?? []).includes(to);
}
export const isStatus = (n: unknown): n is DossierStatus => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 10;

// What each side may do in a status: routes, components and use cases ask these, never the numbers.
export const isOpen = (status: number): boolean => OPEN.has(status);
/** The citizen may withdraw a dossier that is still open. */
export const canWithdraw = (status: number): boolean => canTransition(status, DossierStatus.WITHDRAWN);
/** The citizen may send the documents asked for only while the agency waits for them. */
export const canAnswerSupplement = (status: number): boolean => status === DossierStatus.SUPPLEMENT;
/** The citizen may rate the service once the result is ready or handed over. */
export const canRate = (status: number): boolean => status === DossierStatus.DONE || status === DossierStatus.RETURNED;
/** Not yet received by the agency: the due date shown is a provisional appointment. */
export const awaitsReception = (status: number): boolean => status === DossierStatus.NEW;
const RESCHEDULABLE = new Set<number>([DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.PAYMENT]);
/** The agency may move the due date while it works against it (not while waiting for a supplement). */
export const canReschedule = (status: number): boolean => RESCHEDULABLE.has(status);
