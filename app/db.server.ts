import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "~/generated/prisma/client";
import { env } from "~/env.server";

export type { Prisma } from "~/generated/prisma/client";

// Prisma's codes for "the database cannot be reached" (connection refused, timed out,
// closed, pool exhausted), and the driver's messages for raw queries.
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const UNAVAILABLE_MESSAGE =
  /Can't reach database server|Connection terminated|ECONNREFUSED|ECONNRESET|terminating connection|the database system is (shutting down|starting up|in recovery mode)|Server has closed the connection|Timed out fetching a new connection|connection timeout/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGE.test(String((error as { message?: unknown }).message ?? ""));
}

/** What a request gets while the database is down: a readable 503 page, not a stack trace. */
export function databaseUnavailable(): Response {
  return new Response("The club's database cannot be reached right now. Please try again shortly.", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": "10" },
  });
}

function createClient() {
  const adapter = new PrismaPg({
    connectionString: env().DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter }).$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw databaseUnavailable();
          throw error;
        }
      },
    },
  });
}

type Client = ReturnType<typeof createClient>;

// One client per process; kept on globalThis so development rebuilds reuse it.
const globalForDb = globalThis as unknown as { __coterieDb?: Client };

export const db: Client = (globalForDb.__coterieDb ??= createClient());

/** The client inside an interactive transaction; area functions accept it to join one. */
export type Tx = Prisma.TransactionClient;
