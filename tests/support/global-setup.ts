/**
 * Starts one throwaway PostgreSQL for the whole Vitest run and prepares a migrated
 * template database. Each test file then gets its own copy (tests/support/database.ts),
 * so tests never see each other's rows.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import PgBoss from "pg-boss";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "../../scripts/embedded-postgres";
import { applyMigrations } from "../../scripts/migrate";

export const TEMPLATE_DATABASE = "coterie_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresUrlPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "coterie-test-pg-"));
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  await ensureDatabase(postgres.url("postgres"), TEMPLATE_DATABASE);
  const templateUrl = postgres.url(TEMPLATE_DATABASE);
  await applyMigrations(templateUrl, { log: () => {} });
  // The job queue's own tables, so every copy can queue jobs at once.
  const boss = new PgBoss({ connectionString: templateUrl, supervise: false, schedule: false });
  await boss.start();
  await boss.createQueue("email");
  await boss.stop({ graceful: false, wait: true });

  project.provide("postgresAdminUrl", postgres.url("postgres"));
  project.provide("postgresUrlPrefix", postgres.url(""));

  return async () => {
    await postgres.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  };
}
