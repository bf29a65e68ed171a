// Files on a local disk (or a mounted volume): one file per key under `dir`, written to a temp
// file in the same directory, fsynced, then renamed into place, so a reader never sees half a file
// and a crash leaves at most a `.tmp-*` file (keys cannot contain "." or "-", so temp names never
// collide with keys and a sweeper can find them).
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertValidKey, type FileStorage, sha256OfKey, type StoredObjectMeta, StorageError } from "./contract";

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === "ENOENT";

export function createLocalStorage(opts: { dir: string }): FileStorage {
  const root = path.resolve(opts.dir);
  // Keys are validated (lower-case letters, digits, single slashes): the join cannot leave root.
  const pathOf = (key: string) => {
    assertValidKey(key);
    return path.join(root, ...key.split("/"));
  };

  async function statOrNull(file: string) {
    try {
      return await fs.stat(file);
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  return {
    async put(key: string, body: Readable | Uint8Array, meta: StoredObjectMeta): Promise<void> {
      const target = pathOf(key);
      if (await statOrNull(target)) {
        if (body instanceof Readable) body.destroy();
        return;
      }
      const dir = path.dirname(target);
      const tmp = path.join(dir, `.tmp-${crypto.randomUUID()}`);
      const hash = crypto.createHash("sha256");
      let size = 0;
      let handle: fs.FileHandle;
      try {
        await fs.mkdir(dir, { recursive: true });
        handle = await fs.open(tmp, "wx", 0o640);
      } catch (e) {
        if (body instanceof Readable) body.destroy();
        throw e;
      }
      let renamed = false;
      try {
        const chunks: AsyncIterable<Buffer> | Buffer[] = body instanceof Readable ? body : [Buffer.from(body.buffer, body.byteOffset, body.byteLength)];
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          if (size > meta.size) throw new StorageError(`body is longer than ${meta.size} bytes`, "SizeMismatch");
          for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
        }
        if (size !== meta.size) throw new StorageError(`body is ${size} bytes, expected ${meta.size}`, "SizeMismatch");
        const expected = sha256OfKey(key);
        if (expected && hash.digest("hex") !== expected) throw new StorageError("content does not match its SHA-256 key", "ContentMismatch");
        await handle.sync();
        await handle.close();
        await fs.rename(tmp, target);
        renamed = true;
        await syncDirectory(dir);
      } finally {
        await handle.close().catch(() => undefined);
        if (!renamed) await fs.rm(tmp, { force: true });
      }
    },

    async get(key: string): Promise<Readable | null> {
      const file = pathOf(key);
      try {
        const handle = await fs.open(file, "r");
        return handle.createReadStream();
      } catch (e) {
        if (isMissing(e)) return null;
        throw e;
      }
    },

    async head(key: string): Promise<{ size: number } | null> {
      const stat = await statOrNull(pathOf(key));
      return stat?.isFile() ? { size: stat.size } : null;
    },

    async delete(key: string): Promise<void> {
      await fs.rm(pathOf(key), { force: true });
    },
  };
}

/** Makes a rename durable: the directory entry is flushed too (a no-op where directories cannot be opened). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, "r");
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
