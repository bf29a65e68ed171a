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
