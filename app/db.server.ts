import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "~/generated/prisma/client";
import { env } from "~/env.server";

export type { Prisma } from "~/generated/prisma/client";

function createClient() {
  const adapter = new PrismaPg({
    connectionString: env().DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}

type Client = ReturnType<typeof createClient>;

// One client per process; kept on globalThis so development rebuilds reuse it.
const globalForDb = globalThis as unknown as { __coterieDb?: Client };

export const db: Client = (globalForDb.__coterieDb ??= createClient());

/** The client inside an interactive transaction; area functions accept it to join one. */
export type Tx = Prisma.TransactionClient;
