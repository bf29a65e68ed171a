// The baseline page for tests/bench: a Remix document route with one loader, no database and
// no translation lookups. Answers 404 unless BENCH_ROUTES is on.
import { useLoaderData } from "@remix-run/react";
import { config } from "~/config.server";

export function loader() {
  if (!config().BENCH_ROUTES) throw new Response("Not Found", { status: 404 });
  return { now: Date.now() };
}

export default function Bare() {
  const { now } = useLoaderData<typeof loader>();
  return <div className="container"><h1>bare</h1><p>{now}</p></div>;
}
