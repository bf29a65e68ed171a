// Storage for the mock's sessions, interactions, codes, tokens and grants: process memory.
// This is a mock, so state lost on restart is acceptable — it just logs everyone out, and the portal
// sees the same thing as when a real VNeID session ends. One store per running mock, so two mocks in
// one test process do not share sessions (oidc-provider's built-in dev adapter is module-global).
import type { Adapter, AdapterPayload } from "oidc-provider";

/** Models whose entries hang off a grant and go when the grant is revoked (logout, code reuse). */
const GRANTABLE = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"]);
const SWEEP_EVERY = 500;

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export function memoryAdapter(): new (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const sessionByUid = new Map<string, string>();
  const grantMembers = new Map<string, Set<string>>();
  let writes = 0;

  const live = (key: string): AdapterPayload | undefined => {
    const e = entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return e.payload;
  };

  const sweep = () => {
    const now = Date.now();
    for (const [key, e] of entries) if (e.expiresAt <= now) entries.delete(key);
    for (const [uid, id] of sessionByUid) if (!entries.has(`Session:${id}`)) sessionByUid.delete(uid);
    for (const [grantId, keys] of grantMembers) {
      for (const key of keys) if (!entries.has(key)) keys.delete(key);
      if (keys.size === 0) grantMembers.delete(grantId);
    }
  };

  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string) {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      const key = this.key(id);
      const previous = entries.get(key)?.payload;
      if (this.model === "Session" && previous?.uid && previous.uid !== payload.uid && sessionByUid.get(previous.uid) === id) sessionByUid.delete(previous.uid);
      entries.set(key, { payload, expiresAt: typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Infinity });
      if (this.model === "Session" && typeof payload.uid === "string") sessionByUid.set(payload.uid, id);
      if (GRANTABLE.has(this.model) && payload.grantId) {
        const keys = grantMembers.get(payload.grantId) ?? new Set<string>();
        keys.add(key);
        grantMembers.set(payload.grantId, keys);
      }
      if (++writes % SWEEP_EVERY === 0) sweep();
    }

    async find(id: string) {
      return live(this.key(id));
    }

    async findByUid(uid: string) {
      const id = sessionByUid.get(uid);
      return id === undefined ? undefined : live(this.key(id));
    }

    async findByUserCode() {
      return undefined; // the device flow is not enabled
    }

    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string) {
      const key = this.key(id);
      const payload = entries.get(key)?.payload;
      entries.delete(key);
      if (this.model === "Session" && typeof payload?.uid === "string") sessionByUid.delete(payload.uid);
    }

    async revokeByGrantId(grantId: string) {
      for (const key of grantMembers.get(grantId) ?? []) entries.delete(key);
      grantMembers.delete(grantId);
    }
  };
}
