// A stored upload (content-addressed) streamed back to whoever a route has authorised: never
// cached, never sniffed, its sanitised name encoded as RFC 6266 says.
import { Readable } from "node:stream";
import { contentKey, type FileStorage } from "~/modules/storage/storage.server";

export async function storedFileResponse(
  storage: FileStorage,
  file: { sha256: string; mime: string; size: number; fileName: string },
  disposition: "inline" | "attachment",
): Promise<Response> {
  const body = await storage.get(contentKey(file.sha256));
  if (!body) throw new Response("Not Found", { status: 404 });
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "Content-Type": file.mime,
      "Content-Length": String(file.size),
      "Content-Disposition": `${disposition}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
