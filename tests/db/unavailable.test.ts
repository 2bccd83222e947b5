// Nothing listens on port 9 of this machine: every connection is refused at once.
process.env.DATABASE_URL = "postgresql://coterie:coterie@127.0.0.1:9/coterie";

import { describe, expect, it } from "vitest";

const { db, DatabaseUnavailable, isDatabaseUnavailable } = await import("~/db.server");
const { handleDataRequest } = await import("~/entry.server");

describe("when the database cannot be reached", () => {
  it("the data layer throws DatabaseUnavailable, an Error (workers retry it), never a Response", async () => {
    for (const attempt of [() => db.user.count(), () => db.$queryRaw`SELECT 1`, () => db.$transaction(async (tx) => tx.user.count())]) {
      const error = await attempt().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(DatabaseUnavailable);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(Response);
      expect(isDatabaseUnavailable(error)).toBe(true);
    }
  });

  it("the HTTP edge answers a data request that met it with 503 and Retry-After", async () => {
    const failed = new Response("Unexpected Server Error", { status: 500 });
    const args = { context: { databaseDown: true }, params: {}, request: new Request("http://localhost/forum.data") };
    const answered = await handleDataRequest(failed, args);
    expect(answered.status).toBe(503);
    expect(answered.headers.get("Retry-After")).toBe("10");
    // Another failure stays a 500.
    const other = await handleDataRequest(new Response("x", { status: 500 }), { ...args, context: {} });
    expect(other.status).toBe(500);
  });
});
