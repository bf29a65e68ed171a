// Any path no route claims: a translated 404 page (rendered by the root ErrorBoundary).
export async function loader() {
  throw new Response("Not Found", { status: 404 });
}

export default function NotFound() {
  return null;
}
