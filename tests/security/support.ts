/**
 * Helpers for the abuse suite's Vitest files: people with sessions, requests as one of
 * them, and a fingerprint of every table a request could change, so a refused request
 * can be shown to have changed nothing.
 */
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/db.server";
import { outcome, type Outcome } from "../admission/support";
import { createUser, sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";

export { outcome, type Outcome };

export type Person = Awaited<ReturnType<typeof createUser>> & { cookie: string };

export async function person(options: Parameters<typeof createUser>[0] = {}): Promise<Person> {
  const user = await createUser(options);
  return { ...user, cookie: await sessionCookie(user.id) };
}

type Args = ReturnType<typeof routeArgs>;
type Handler = (args: Args) => Promise<unknown>;

/** GET a loader as `who` (undefined: a visitor without a session). */
export function get(handler: Handler, path: string, params: Record<string, string>, who?: Person): Promise<Outcome> {
  return outcome(handler(routeArgs(appRequest(path, { cookie: who?.cookie }), params)));
}

/** POST a form to an action as `who`, the way the browser sends it (same Origin, urlencoded). */
export function post(
  handler: Handler,
  path: string,
  params: Record<string, string>,
  form: Record<string, string | string[]>,
  who?: Person,
): Promise<Outcome> {
  return outcome(handler(routeArgs(appRequest(path, { cookie: who?.cookie, form }), params)));
}

/**
 * Tables whose rows change on every request whatever it does (sessions are touched,
 * activity is buffered, rate limits count), left out of the fingerprint.
 */
const VOLATILE = new Set(["Session", "RateLimitHit", "ActivityEvent", "ActivityMonth", "MemberActivity", "ActivityRollup", "_prisma_migrations"]);

let tables: string[] | undefined;

/** An md5 of each table's rows, by table name. */
export async function fingerprint(): Promise<Record<string, string>> {
  tables ??= (
    await db.$queryRaw<Array<{ name: string }>>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`
  )
    .map((row) => row.name)
    .filter((name) => !VOLATILE.has(name));
  const parts = tables.map(
    (name) => Prisma.sql`SELECT ${name} AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash FROM ${Prisma.raw(`"${name}"`)} t`,
  );
  const rows = await db.$queryRaw<Array<{ name: string; hash: string }>>`${Prisma.join(parts, " UNION ALL ")}`;
  return Object.fromEntries(rows.map((row) => [row.name, row.hash]));
}

/** Tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((name) => before[name] !== after[name]);
}

export type Refusal = "login" | 403 | 404 | 410;

/**
 * Runs the request and asserts the refusal: a visitor is sent to sign in (302 to
 * /login?redirectTo=...), a member gets the status, and no table changed.
 */
export async function expectRefused(request: () => Promise<Outcome>, refusal: Refusal, label: string) {
  const before = await fingerprint();
  const result = await request();
  if (refusal === "login") {
    if (result.status !== 302 || !result.location?.startsWith("/login?redirectTo=")) {
      throw new Error(`${label}: expected a redirect to /login, got ${result.status} ${result.location ?? ""}`);
    }
  } else if (result.status !== refusal) {
    throw new Error(`${label}: expected ${refusal}, got ${result.status} ${typeof result.data === "string" ? result.data.slice(0, 200) : JSON.stringify(result.data)?.slice(0, 200)}`);
  }
  const changed = changedTables(before, await fingerprint());
  if (changed.length) throw new Error(`${label}: refused, yet changed ${changed.join(", ")}`);
  return result;
}
