import { defineConfig } from "prisma/config";

// The CLI reads the connection from here; the app connects through the
// @prisma/adapter-pg driver adapter in app/db.server.ts.
export default defineConfig({
  schema: "prisma/schema",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/coterie",
  },
});
