import pg from "pg";

/** Splits a Postgres URL into the maintenance-database URL and the target database's name. */
export function splitDatabaseUrl(databaseUrl: string): { adminUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_-]+$/.test(database))
    throw new Error(`unsupported database name in DATABASE_URL: "${database}"`);
  url.pathname = "/postgres";
  return { adminUrl: url.toString(), database };
}

/** Creates the database named by the URL when it is missing; returns true when it created it. */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const { adminUrl, database } = splitDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${database}"`);
    } catch (error) {
      // Another process created it between our check and our CREATE: that is fine.
      if ((error as { code?: string }).code === "42P04") return false;
      throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}
