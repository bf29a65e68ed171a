// Prometheus metrics: request counts and latency histograms labelled by Remix route id
// (never by raw path, which would let anyone create unbounded label values).
import client from "prom-client";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpRequests = new client.Counter({
  name: "http_requests_total",
  help: "HTTP requests by method, route and status code",
  labelNames: ["method", "route", "status"] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP request latency by method and route",
  labelNames: ["method", "route"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

interface ManifestRoute { id: string; path?: string; parentId?: string; index?: boolean }
interface Matcher { id: string; regex: RegExp; score: number }

/** Builds a path → route-id matcher from the Remix build's flat route manifest. */
export function createRouteMatcher(routes: Record<string, ManifestRoute>) {
  const fullPath = (r: ManifestRoute): string => {
    const parent = r.parentId ? routes[r.parentId] : undefined;
    const own = (r.path ?? "").replace(/^\/+|\/+$/g, "");
    const base = parent ? fullPath(parent) : "";
    return [base, own].filter(Boolean).join("/");
  };
  const childOf = new Set(Object.values(routes).map((r) => r.parentId).filter(Boolean));
  const matchers: Matcher[] = Object.values(routes)
    .filter((r) => r.id !== "root" && (r.index || !childOf.has(r.id)))
    .map((r) => {
      const segments = fullPath(r).split("/").filter(Boolean);
      let score = 0;
      const pattern = segments
        .map((s) => {
          if (s === "*") return "(?:/.*)?";
          if (s.startsWith(":")) { score += 2; return "/[^/]+"; }
          score += 3;
          return `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
        })
        .join("");
      const splat = segments.includes("*");
      return { id: r.id, regex: new RegExp(`^${pattern}/?$`), score: splat ? -1 : score + (r.index ? 1 : 0) };
    })
    .sort((a, b) => b.score - a.score);
  return (pathname: string): string => {
    const p = pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/");
    return matchers.find((m) => m.regex.test(p === "/" ? "" : p) || m.regex.test(p))?.id ?? "unmatched";
  };
}
