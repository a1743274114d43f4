// Bulk loading for the synthetic bench libraries (issue 21 §5: a million projects and their ~12M
// monthly returns in minutes, not the 19+ minutes row-at-a-time INSERT … SELECT took): rows are
// generated here, deterministically, and sent with COPY FROM STDIN (pg-copy-streams); the loaded
// tables' secondary indexes and foreign keys are dropped first and rebuilt once at the end, as
// pg_restore does. The triggers stay on: the rollups they keep (PortfolioMonth, the light
// placeholders) are then exactly what the app would have built (docs/database-triggers.md).
// How it is done and measured: docs/decisions/0041-bench-bulk-load.md.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { seededRandom as seededFromText } from "../prisma/seed/demo-overlay";

/**
 * The demo overlay's generator (mulberry32, prisma/seed/demo-overlay.ts) seeded by a number: the
 * same seed gives the same library on every load.
 */
export const seededRandom = (seed: number): (() => number) => seededFromText(String(seed));

/** What the synthetic projects are made from: the plan's projects, the organizations, counties and funding sources, in a fixed order. */
export async function libraryShape(client: pg.Client) {
  const plan = (
    await client.query<{ name: string; columnId: string; programmeId: string; sectorCode: string | null; targetStage2025: string | null }>(
      `SELECT name, "columnId", "programmeId", "sectorCode", "targetStage2025" FROM "Project" ORDER BY "planKey"`,
    )
  ).rows;
  const column = async (sql: string) => (await client.query<{ v: string }>(sql)).rows.map((r) => r.v);
  return {
    plan,
    orgs: await column(`SELECT id AS v FROM "Organization" ORDER BY name`),
    divisions: await column(`SELECT code AS v FROM "AdminDivision" ORDER BY code`),
    sources: await column(`SELECT code AS v FROM "FundingSource" ORDER BY code`),
  };
}

/** A version-4-shaped UUID drawn from `random` (deterministic, unlike crypto.randomUUID). */
export function seededUuid(random: () => number): string {
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, "0");
  const r = () => random() * 0x10000;
  return `${hex(r(), 4)}${hex(r(), 4)}-${hex(r(), 4)}-4${hex(r() % 0x1000, 3)}-${hex(0x8000 | (r() % 0x4000), 4)}-${hex(r(), 4)}${hex(r(), 4)}${hex(r(), 4)}`;
}

/** Money with two decimals, as the columns hold it. */
export const money = (value: number): string => value.toFixed(2);

/** A value in COPY's text format: NULL as \N; backslash, tab and line breaks escaped. */
function field(value: string | number | null): string {
  if (value === null) return "\\N";
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : text;
}

/** COPY `rows` into `table` (the quoted column names in `columns`), in one statement; returns the row count. */
export async function copyRows(client: pg.Client, table: string, columns: readonly string[], rows: Iterable<readonly (string | number | null)[]>): Promise<number> {
  let count = 0;
  function* lines(): Generator<string> {
    let batch: string[] = [];
    for (const row of rows) {
      batch.push(row.map(field).join("\t"));
      count += 1;
      if (batch.length === 5_000) {
        yield `${batch.join("\n")}\n`;
        batch = [];
      }
    }
    if (batch.length) yield `${batch.join("\n")}\n`;
  }
  const sink = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`));
  await pipeline(Readable.from(lines()), sink);
  return count;
}

interface Deferred {
  indexes: { name: string; definition: string }[];
  foreignKeys: { table: string; name: string; definition: string }[];
}

/**
 * Runs `load` with the secondary indexes and foreign keys of `tables` dropped, then rebuilds them
 * (indexes with parallel workers and a large maintenance_work_mem, foreign keys validated in one
 * pass each). Indexes that back a constraint (primary keys, unique constraints) stay.
 */
export async function withIndexesDeferred(client: pg.Client, tables: readonly string[], load: () => Promise<void>, log: (line: string) => void = console.log): Promise<void> {
  const deferred: Deferred = {
    indexes: (
      await client.query<{ name: string; definition: string }>(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = current_schema() AND t.relname = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
        [tables],
      )
    ).rows,
    foreignKeys: (
      await client.query<{ table: string; name: string; definition: string }>(
        `SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY($1)`,
        [tables],
      )
    ).rows,
  };
  for (const fk of deferred.foreignKeys) await client.query(`ALTER TABLE "${fk.table}" DROP CONSTRAINT "${fk.name}"`);
  for (const index of deferred.indexes) await client.query(`DROP INDEX ${index.name}`);
  log(`[bench] deferred ${deferred.indexes.length} indexes and ${deferred.foreignKeys.length} foreign keys on ${tables.join(", ")}`);
  await load();
  let started = Date.now();
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET max_parallel_maintenance_workers = 2`);
  for (const index of deferred.indexes) await client.query(index.definition);
  log(`[bench] rebuilt ${deferred.indexes.length} indexes in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  started = Date.now();
  for (const fk of deferred.foreignKeys) await client.query(`ALTER TABLE "${fk.table}" ADD CONSTRAINT "${fk.name}" ${fk.definition}`);
  log(`[bench] validated ${deferred.foreignKeys.length} foreign keys in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Runs `work` for every item on `connections` connections of their own (each prepared by `setup`),
 * an item at a time per connection: two COPY streams keep both cores of the database busy while
 * this process generates rows. Items must not depend on each other's order.
 */
export async function onConnections<T>(
  url: string,
  connections: number,
  items: readonly T[],
  work: (client: pg.Client, item: T) => Promise<void>,
  setup?: (client: pg.Client) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await setup?.(client);
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(client, item);
      } finally {
        await client.end();
      }
    }),
  );
}
