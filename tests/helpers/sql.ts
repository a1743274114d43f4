// SQL on a connection of its own, as psql or a DBA would run it: for hand-written expectations and
// for changing rows behind the app's back (and seeing what the database's triggers say to that).
import pg from "pg";

/** Runs `text` on a fresh connection to `url`; without params it may be a script of several statements. */
export async function runSql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, params);
  } finally {
    await client.end();
  }
}

/**
 * runSql bound to a test file's database: `query` gives the whole result, `sql` its rows, `sqlOne`
 * the first row. `url` is called on each query, since the database is made in beforeAll.
 */
export function sqlOn(url: () => string) {
  const query = <T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []) => runSql<T>(url(), text, params);
  return {
    query,
    sql: async <T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> => (await query<T>(text, params)).rows,
    sqlOne: async <T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T> => (await query<T>(text, params)).rows[0] as T,
  };
}
