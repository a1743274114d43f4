// Where evidence files live. The app talks to the Storage interface only; the default backend is
// a local folder (ATTACHMENT_DIR, default .data/attachments, git-ignored) for one machine;
// STORAGE_BACKEND=postgres keeps them in the database for several instances (lib/storage/postgres.ts,
// docs/decisions/0023-scale-out.md). An object store (MinIO, OSS) would be another implementation
// of the same three methods.
import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { assertSafeKey } from "./key";
import { PostgresStorage } from "./postgres";

export interface Storage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** A web stream of the stored bytes, or null when the key is unknown. */
  get(key: string): Promise<ReadableStream<Uint8Array> | null>;
  remove(key: string): Promise<void>;
}

export class LocalFolderStorage implements Storage {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes, { flag: "wx", mode: 0o640 });
  }

  async get(key: string): Promise<ReadableStream<Uint8Array> | null> {
    const file = this.file(key);
    try {
      await stat(file);
    } catch {
      return null;
    }
    return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  }

  async remove(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

let storage: Storage | undefined;

export function getStorage(): Storage {
  storage ??= env.STORAGE_BACKEND === "postgres" ? new PostgresStorage(prisma) : new LocalFolderStorage(path.resolve(/* turbopackIgnore: true */ env.ATTACHMENT_DIR));
  return storage;
}
