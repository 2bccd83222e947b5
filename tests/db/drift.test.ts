import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "../../scripts/migrate";
import { schemaDrift } from "../../scripts/schema-drift";

async function scratchDatabase(): Promise<string> {
  const name = `drift_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return `${inject("postgresUrlPrefix")}${name}`;
}

describe("migrations and schema.prisma", () => {
  it("the migrated database matches the schema exactly", async () => {
    const problems = await schemaDrift(process.env.DATABASE_URL!);
    expect(problems).toEqual([]);
  });

  it("keeps _prisma_migrations as prisma migrate deploy does", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
    await client.end();
    const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("reports drift when a migration is missing", async () => {
    const folders = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const partial = await mkdtemp(path.join(os.tmpdir(), "coterie-migrations-"));
    try {
      for (const folder of folders.slice(0, -1)) await cp(path.join(MIGRATIONS_DIR, folder), path.join(partial, folder), { recursive: true });
      const url = await scratchDatabase();
      await applyMigrations(url, { dir: partial, log: () => {} });
      const problems = await schemaDrift(url);
      expect(problems.length).toBeGreaterThan(0);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  });

  it("applying migrations twice changes nothing", async () => {
    const applied = await applyMigrations(process.env.DATABASE_URL!, { log: () => {} });
    expect(applied).toEqual([]);
  });
});
