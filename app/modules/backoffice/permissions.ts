// Who may do what at the one-stop desk. Each action is one legal status transition.
import { DossierStatus } from "~/modules/dossiers/status";
import type { Role } from "~/modules/identity/staff-auth.server";

export const ACTIONS = {
  receive: { to: DossierStatus.RECEIVED, roles: ["desk", "leader"] },
  refuse: { to: DossierStatus.REFUSED, roles: ["desk", "leader"] },
  process: { to: DossierStatus.PROCESSING, roles: ["specialist", "leader"] },
  requestSupplement: { to: DossierStatus.SUPPLEMENT, roles: ["specialist", "leader"] },
  requestPayment: { to: DossierStatus.PAYMENT, roles: ["specialist", "leader"] },
  stop: { to: DossierStatus.STOPPED, roles: ["leader"] },
  complete: { to: DossierStatus.DONE, roles: ["specialist", "leader"] },
  returnResult: { to: DossierStatus.RETURNED, roles: ["desk", "leader"] },
} as const;
export type DeskAction = keyof typeof ACTIONS;
export const DESK_ACTIONS = Object.keys(ACTIONS) as DeskAction[];

/** Actions that must say why (shown to the citizen). */
export const NEEDS_NOTE: readonly DeskAction[] = ["refuse", "requestSupplement", "stop"];

export const mayAct = (role: string, action: DeskAction) => (ACTIONS[action].roles as readonly string[]).includes(role);

/** Who may give a late dossier a new appointment date (and sign the apology letter). */
export const RESCHEDULE_ROLES: readonly string[] = ["desk", "specialist", "leader"];
export const mayReschedule = (role: string) => RESCHEDULE_ROLES.includes(role);

/**
 * Who may file a dossier at the counter for a citizen standing at the desk. A counter filing is
 * received on the spot, so only those who receive dossiers at the desk (not leaders, who receive
 * only by exception, and not administrators, who belong to no desk).
 */
export const COUNTER_ROLES: readonly Role[] = ["desk"];
export const mayFileAtCounter = (role: string) => (COUNTER_ROLES as readonly string[]).includes(role);
