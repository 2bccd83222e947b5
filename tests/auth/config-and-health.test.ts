import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfigurationError, parseEnv } from "~/env.server";
import { freePort, startEmbeddedPostgres } from "../../scripts/embedded-postgres";
import { applyMigrations } from "../../scripts/migrate";

describe("configuration", () => {
  it("names a missing DATABASE_URL", () => {
    expect(() => parseEnv({})).toThrow(/DATABASE_URL/);
  });

  it("names a bad value", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "3000" })).toThrow(ConfigurationError);
    expect(() => parseEnv({ DATABASE_URL: "postgresql://x/y", PORT: "nope" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "postgresql://x/y", SMTP_URL: "http://mail" })).toThrow(/SMTP_URL/);
  });

  it("requires real secrets in production and names each", () => {
    let message = "";
    try {
      parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://x/y" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/APP_URL/);
    expect(message).toMatch(/STRIPE_SECRET_KEY/);
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRET/);
  });

  it("accepts a complete production configuration", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://x/y",
      APP_URL: "https://club.example.com",
      STRIPE_SECRET_KEY: "sk_live_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
    });
    expect(env.APP_URL).toBe("https://club.example.com");
  });
});

describe("/healthz", () => {
  it("answers 200 while the database is up and 503 once it is stopped", async () => {
    expect(inject("postgresAdminUrl")).toBeTruthy();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "coterie-health-"));
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    try {
      const url = postgres.url("postgres");
      await applyMigrations(url, { log: () => {} });
      // This file imports no app module before here, so the app's client connects to this server.
      process.env.DATABASE_URL = url;
      const { loader } = await import("~/routes/healthz");
      const up = await loader();
      expect(up.status).toBe(200);
      await postgres.stop();
      const down = await loader();
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "unavailable", database: "down" });
    } finally {
      await postgres.stop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
