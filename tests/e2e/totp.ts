// A staff TOTP code a test may use: the portal refuses a code whose 30-second step was already
// used by that account (replay protection), so a second sign-in of the same account within one
// step waits for the next step instead of failing.
import { totpAt } from "../../app/modules/identity/totp";

const STEP_MS = 30_000;
const usedStep = new Map<string, number>();

export async function freshTotp(username: string, secret: string): Promise<string> {
  let step = Math.floor(Date.now() / STEP_MS);
  if ((usedStep.get(username) ?? -1) >= step) {
    step = usedStep.get(username)! + 1;
    await new Promise((r) => setTimeout(r, Math.max(0, step * STEP_MS - Date.now()) + 250));
  }
  usedStep.set(username, step);
  return totpAt(secret, step * STEP_MS + 1000);
}
