/**
 * Real app instances for tests that need HTTP and processes: a production build served by
 * scripts/serve.ts in a child process, against a database the test controls.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

let built: string | undefined;

/** Builds the app once per test process into its own folder. */
export function buildApp(): string {
  if (built) return built;
  const dir = path.join(root, `tests/.tmp/build-vitest-${process.pid}`);
  execFileSync(path.join(root, "node_modules/.bin/remix"), ["build"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", REMIX_BUILD_DIR: dir },
    stdio: "ignore",
  });
  if (!existsSync(path.join(dir, "server/index.js"))) throw new Error("remix build produced no server build");
  built = dir;
  return dir;
}

export type AppInstance = { url: string; port: number; process: ChildProcess; output: () => string; stop: () => Promise<void> };

export async function startAppInstance({
  databaseUrl,
  port,
  env = {},
}: {
  databaseUrl: string;
  port: number;
  env?: Record<string, string>;
}): Promise<AppInstance> {
  const buildDir = buildApp();
  let output = "";
  const child = spawn(tsx, ["scripts/serve.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: `http://localhost:${port}`,
      REMIX_BUILD_DIR: buildDir,
      LOG_LEVEL: "warn",
      TRUST_PROXY: "loopback",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`app instance exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`app instance did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}
