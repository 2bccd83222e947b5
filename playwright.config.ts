import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Ports are fixed per run (inherited by workers through the environment).
process.env.E2E_PORT ??= String(4100 + (process.pid % 500));
process.env.E2E_PG_PORT ??= String(5600 + (process.pid % 500));
const port = Number(process.env.E2E_PORT);

const systemChromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "tests",
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "chromium", testDir: "tests/e2e", use: { ...devices["Desktop Chrome"] } },
    // Abuse and fault tests: HTTP-level, against the same server.
    // Only *.spec.ts: the *.test.ts files beside them are Vitest's.
    { name: "security", testDir: "tests/security", testMatch: "**/*.spec.ts", use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: {
    command: "npx tsx tests/support/e2e-server.ts",
    url: `http://localhost:${port}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
