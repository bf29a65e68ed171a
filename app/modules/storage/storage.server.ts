// The storage the portal keeps uploaded files in, chosen by configuration (STORAGE_DRIVER): a local
// directory by default, an S3-compatible bucket in production clusters. Callers pass the options
// (this module does not read the configuration itself) and depend only on FileStorage.
import { type FileStorage } from "./contract";
import { createLocalStorage } from "./local.server";
import { createS3Storage, type S3StorageOptions } from "./s3.server";

export { assertValidKey, contentKey, type FileStorage, sha256OfKey, type StoredObjectMeta, StorageError } from "./contract";

export type StorageOptions =
  | { driver: "local"; dir: string }
  | ({ driver: "s3" } & S3StorageOptions);

export function createStorage(opts: StorageOptions): FileStorage {
  switch (opts.driver) {
    case "local":
      return createLocalStorage({ dir: opts.dir });
    case "s3":
      return createS3Storage(opts);
  }
}
