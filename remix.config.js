/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic (esbuild) compiler: this file and no vite.config => classic. See docs/decisions/001.
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  // Every v3 future flag the classic compiler accepts (v3_routeConfig is Vite-only).
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
