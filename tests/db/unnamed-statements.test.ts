import { describe, expect, it } from "vitest";

describe("DATABASE_NAMED_STATEMENTS=off", () => {
  it("sends every query unnamed, for a pooler that cannot keep prepared statements", async () => {
    process.env.DATABASE_NAMED_STATEMENTS = "off";
    const { db } = await import("~/db.server");
    await db.$transaction(async (tx) => {
      const listPrepared = () => tx.$queryRaw<Array<{ name: string }>>`SELECT name FROM pg_prepared_statements WHERE ${"unnamed"} <> ''`;
      for (let i = 0; i < 30; i++) await listPrepared();
      expect(await listPrepared()).toEqual([]);
    });
  });
});
