/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import "@remix-run/server-runtime";
import type { AppLoadContext as _Ctx } from "@remix-run/server-runtime";
import type { Services } from "~/wiring.server";

// Single Fetch types (useLoaderData<typeof loader> without json()).
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
  // What server.ts hands every loader and action (see app/modules/observability).
  interface AppLoadContext {
    requestId: string;
    cspNonce: string;
    /** The client's address (Express req.ip, honouring TRUST_PROXY). */
    clientIp: string;
    /** The outside systems (storage, population, PayGov, senders, national portal), built once by server.ts. */
    services: Services;
  }
}
export type { _Ctx };
