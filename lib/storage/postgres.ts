// Evidence files in PostgreSQL (STORAGE_BACKEND=postgres): every app instance reads and writes the
// same objects, and they are replicated and backed up with the database. An object is split into
// 256 KiB rows of "StoredObjectChunk" written in one transaction, and read back one chunk per pull,
// so a 20 MB file never sits whole in memory. Why not large objects or S3: docs/decisions/0023-scale-out.md.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { assertSafeKey } from "./key";
import type { Storage } from "./index";

export const CHUNK_BYTES = 256 * 1024;
/** Chunks per INSERT: 2 MiB a statement. */
const CHUNKS_PER_INSERT = 8;

export class PostgresStorage implements Storage {
  constructor(private readonly db: PrismaClient) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    assertSafeKey(key);
    const chunks: { key: string; part: number; bytes: Uint8Array<ArrayBuffer> }[] = [];
    // An empty file is one empty chunk, so that it exists.
    for (let offset = 0, part = 0; offset < bytes.length || part === 0; offset += CHUNK_BYTES, part++) {
      chunks.push({ key, part, bytes: new Uint8Array(bytes.subarray(offset, offset + CHUNK_BYTES)) });
    }
    // Like the local folder's "wx": a key is written once; a second put fails on the primary key.
    await this.db.$transaction(async (tx) => {
      for (let i = 0; i < chunks.length; i += CHUNKS_PER_INSERT) {
        await tx.storedObjectChunk.createMany({ data: chunks.slice(i, i + CHUNKS_PER_INSERT) });
      }
    }, { timeout: 60_000 });
  }

  async get(key: string): Promise<ReadableStream<Uint8Array> | null> {
    assertSafeKey(key);
    const parts = await this.db.storedObjectChunk.count({ where: { key } });
    if (parts === 0) return null;
    const db = this.db;
    let part = 0;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (part >= parts) {
          controller.close();
          return;
        }
        const row = await db.storedObjectChunk.findUnique({ where: { key_part: { key, part } }, select: { bytes: true } });
        part++;
        if (!row) {
          controller.error(new Error(`stored object ${key} lost chunk ${part - 1}`));
          return;
        }
        if (row.bytes.length > 0) controller.enqueue(new Uint8Array(row.bytes));
        if (part >= parts) controller.close();
      },
    });
  }

  async remove(key: string): Promise<void> {
    assertSafeKey(key);
    await this.db.storedObjectChunk.deleteMany({ where: { key } });
  }
}
