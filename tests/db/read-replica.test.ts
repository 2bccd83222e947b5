import pg from "pg";
import { describe, expect, inject, it } from "vitest";

// The "replica" here is a second database with different rows, so the test can tell
// which server answered.
async function copyDatabase(): Promise<string> {
  const name = `replica_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: inject("postgresAdminUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "coterie_template"`);
  await admin.end();
  return `${inject("postgresUrlPrefix")}${name}`;
}

describe("DATABASE_REPLICA_URL", () => {
  it("sends readDb's reads to the replica and writes to the primary", async () => {
    const replicaUrl = await copyDatabase();
    const replica = new pg.Client({ connectionString: replicaUrl });
    await replica.connect();
    await replica.query(
      `INSERT INTO "User" (id, email, name, "updatedAt") VALUES ('on-replica', 'replica@example.com', 'Only on the replica', now())`,
    );
    await replica.end();
    process.env.DATABASE_REPLICA_URL = replicaUrl;
    const { db, readDb } = await import("~/db.server");

    expect(await readDb.user.findUnique({ where: { id: "on-replica" } })).not.toBeNull();
    expect(await db.user.findUnique({ where: { id: "on-replica" } })).toBeNull();
    const rows = await readDb.$replica().$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM "User" WHERE id = 'on-replica'`;
    expect(rows[0].n).toBe(1);

    await readDb.user.create({ data: { id: "written", email: "written@example.com", name: "Written" } });
    expect(await db.user.findUnique({ where: { id: "written" } })).not.toBeNull();
    expect(await readDb.user.findUnique({ where: { id: "written" } })).toBeNull();
  });
});
