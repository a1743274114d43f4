-- Evidence files in the database for several app instances (STORAGE_BACKEND=postgres,
-- docs/decisions/0023-scale-out.md): 256 KiB chunks per object key.
-- CreateTable
CREATE TABLE "StoredObjectChunk" (
    "key" TEXT NOT NULL,
    "part" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredObjectChunk_pkey" PRIMARY KEY ("key","part")
);

-- The bytes are already compressed (PDF, JPEG, PNG, XLSX): store them without trying again.
ALTER TABLE "StoredObjectChunk" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
