import { db } from "~/db.server";

/** Load balancers and the Docker healthcheck: 200 when the database answers, 503 when not. */
export async function loader() {
  const started = Date.now();
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2_000)),
    ]);
    return Response.json({ status: "ok", database: "up", ms: Date.now() - started }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
