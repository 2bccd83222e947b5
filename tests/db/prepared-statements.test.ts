import { describe, expect, it } from "vitest";
import { db } from "~/db.server";

type Prepared = { name: string; statement: string };

describe("named statements", () => {
  it("names a frequent SQL text, so each connection prepares it once; a rare one runs unnamed", async () => {
    // One connection throughout (a transaction), so every call lands where the others prepared.
    await db.$transaction(async (tx) => {
      const listFrequent = () => tx.$queryRaw<Prepared[]>`SELECT name, statement FROM pg_prepared_statements WHERE ${"frequent"} <> ''`;
      const first = await listFrequent();
      expect(first.some((row) => row.statement.includes("'frequent'") || row.statement.includes("<> ''"))).toBe(false);
      for (let i = 0; i < 25; i++) await listFrequent();
      const named = (await listFrequent()).filter((row) => row.name.startsWith("coterie_") && row.statement.includes("<> ''"));
      expect(named).toHaveLength(1);

      await tx.$queryRaw`SELECT ${"rare"} AS once`;
      const prepared = await listFrequent();
      expect(prepared.some((row) => row.statement.includes("AS once"))).toBe(false);
    });
  });

  it("keeps answering when a migration changes a table that a statement reads with *", async () => {
    await db.$executeRawUnsafe(`CREATE TABLE "PreparedProbe" (a int)`);
    await db.$executeRawUnsafe(`INSERT INTO "PreparedProbe" VALUES (1)`);
    const readAll = () => db.$queryRaw<Array<Record<string, number | null>>>`SELECT * FROM "PreparedProbe"`;
    // Named, then prepared on several of the pool's connections at once.
    for (let i = 0; i < 25; i++) await readAll();
    await Promise.all(Array.from({ length: 8 }, readAll));
    await db.$executeRawUnsafe(`ALTER TABLE "PreparedProbe" ADD COLUMN b int DEFAULT 2`);

    const after = await Promise.all(Array.from({ length: 8 }, readAll));
    for (const rows of after) expect(rows).toEqual([{ a: 1, b: 2 }]);
    expect(await readAll()).toEqual([{ a: 1, b: 2 }]);
  });

  it("runs a transaction again as a whole when a migration changed a table it reads with *, never a query inside the aborted one", async () => {
    await db.$executeRawUnsafe(`CREATE TABLE "PreparedProbeTx" (a int)`);
    await db.$executeRawUnsafe(`CREATE TABLE "PreparedProbeLog" (n int)`);
    await db.$executeRawUnsafe(`INSERT INTO "PreparedProbeTx" VALUES (1)`);
    let runs = 0;
    const transaction = (n: number) =>
      db.$transaction(async (tx) => {
        runs++;
        const rows = await tx.$queryRaw<Array<Record<string, number | null>>>`SELECT * FROM "PreparedProbeTx"`;
        await tx.$executeRaw`INSERT INTO "PreparedProbeLog" VALUES (${n})`;
        return rows;
      });
    // Named, then prepared on the pool's connections.
    for (let i = 0; i < 25; i++) await transaction(-1);
    await Promise.all(Array.from({ length: 10 }, (_, i) => transaction(-1 - i)));
    await db.$executeRawUnsafe(`ALTER TABLE "PreparedProbeTx" ADD COLUMN b int DEFAULT 2`);
    await db.$executeRawUnsafe(`DELETE FROM "PreparedProbeLog"`);
    runs = 0;

    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => transaction(i)));
    expect(results.filter((result) => result.status === "rejected").map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
    for (const result of results) expect((result as PromiseFulfilledResult<unknown>).value).toEqual([{ a: 1, b: 2 }]);
    // Each transaction's write is there once: a retried transaction started again from the beginning.
    const logged = await db.$queryRaw<Array<{ n: number }>>`SELECT n FROM "PreparedProbeLog" ORDER BY n`;
    expect(logged.map((row) => row.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(runs).toBeGreaterThan(10);
  });
});
