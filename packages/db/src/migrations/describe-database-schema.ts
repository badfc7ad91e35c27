import pg from "pg";

/**
 * A canonical text description of the public schema (enums, columns, constraints, indexes), read
 * from the catalog. Two databases built by different routes (migrations vs. the schema file) are the
 * same exactly when their descriptions are equal. Prisma's engine cannot introspect through the pg
 * adapter here, so the comparison is done on the catalog directly.
 */
export async function describeDatabaseSchema(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sections: string[] = [];
    const enums = await client.query<{ line: string }>(`
      SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS line
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY t.typname`);
    sections.push(...enums.rows.map((row) => `enum ${row.line}`));
    const columns = await client.query<{ line: string }>(`
      SELECT table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable || ' ' ||
             coalesce(column_default, '-') || ' ' || coalesce(datetime_precision::text, '-') AS line
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`);
    sections.push(...columns.rows.map((row) => `column ${row.line}`));
    const constraints = await client.query<{ line: string }>(`
      SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) AS line
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"')
      ORDER BY 1`);
    sections.push(...constraints.rows.map((row) => `constraint ${row.line}`));
    const indexes = await client.query<{ line: string }>(`
      SELECT indexdef AS line FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`);
    sections.push(...indexes.rows.map((row) => `index ${row.line}`));
    return sections.join("\n");
  } finally {
    await client.end();
  }
}
