import { describe, expect, it } from "vitest";
import { db } from "~/db.server";

describe("named statements", () => {
  it("prepares the club's SQL once per connection", async () => {
    // One connection at a time, so the second call lands where the first one prepared.
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT name, statement FROM pg_prepared_statements WHERE ${1} = 1`;
      const rows = await tx.$queryRaw<Array<{ name: string; statement: string }>>`SELECT name, statement FROM pg_prepared_statements WHERE ${1} = 1`;
      expect(rows.some((row) => row.name.startsWith("coterie_") && row.statement.includes("pg_prepared_statements"))).toBe(true);
    });
  });

  it("keeps answering when a migration changes a table that a statement reads with *", async () => {
    await db.$executeRawUnsafe(`CREATE TABLE "PreparedProbe" (a int)`);
    await db.$executeRawUnsafe(`INSERT INTO "PreparedProbe" VALUES (1)`);
    const readAll = () => db.$queryRaw<Array<Record<string, number | null>>>`SELECT * FROM "PreparedProbe"`;
    // Prepared on several of the pool's connections at once.
    await Promise.all(Array.from({ length: 8 }, readAll));
    await db.$executeRawUnsafe(`ALTER TABLE "PreparedProbe" ADD COLUMN b int DEFAULT 2`);

    const after = await Promise.all(Array.from({ length: 8 }, readAll));
    for (const rows of after) expect(rows).toEqual([{ a: 1, b: 2 }]);
    expect(await readAll()).toEqual([{ a: 1, b: 2 }]);
  });
});
