// Liveness: the process answers. Deliberately touches nothing else.
export function loader() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
