/**
 * The HTTP server: Express in front of the Remix request handler.
 * It adds what Remix leaves to the server: security headers with a per-request CSP
 * nonce, refusal of cross-site writes, a body size limit, request ids, JSON access
 * logs, timeouts against slow clients, and static files.
 *
 *   tsx scripts/serve.ts     # serves the build in build/ (npm run build first)
 *
 * WEB_CONCURRENCY=N runs N server processes sharing the port (node:cluster), one per core
 * on a small host: the app keeps no state in memory, so any process can serve any request.
 * One process runs the job workers; if it dies, its replacement takes them over.
 */
import cluster from "node:cluster";
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import { readdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import express from "express";
import { isCrossOriginWrite } from "../app/auth/origin";
import { isPrivateRequest } from "../app/http/cache-control";
import { craftedRequest, refusalPage } from "../app/http/crafted-requests";
import { finishHead } from "../app/http/response-head";
import { requestQueue } from "./request-queue";
import { rememberRouteMatches } from "./route-matching";

const MAX_BODY_BYTES = 1024 * 1024;
const root = path.resolve(import.meta.dirname, "..");
const buildDir = process.env.REMIX_BUILD_DIR ? path.resolve(process.env.REMIX_BUILD_DIR) : null;
const serverBuildPath = buildDir ? path.join(buildDir, "server/index.js") : path.join(root, "build/index.js");
const publicDir = path.join(root, "public");
/** Requests one process works on at once unless MAX_CONCURRENT_REQUESTS says otherwise (at most the pool size). */
const DEFAULT_CONCURRENT_REQUESTS = 8;
const assetsDir = buildDir ? path.join(buildDir, "public/build") : path.join(root, "public/build");
// Under `remix dev` the server reloads the build when it changes.
const development = process.env.NODE_ENV === "development" && Boolean(process.env.REMIX_DEV_ORIGIN);

function logLine(fields: Record<string, unknown>) {
  if (process.env.LOG_LEVEL === "silent") return;
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", pid: process.pid, ...fields })}\n`);
}

async function importBuild(): Promise<ServerBuild> {
  const { mtimeMs } = await stat(serverBuildPath);
  return import(`${pathToFileURL(serverBuildPath).href}?t=${mtimeMs}`);
}

export async function createServer() {
  const { env } = await import("../app/env.server");
  const config = env();
  rememberRouteMatches();
  let build = await importBuild();
  const allowedOrigins = [new URL(config.APP_URL!).origin, `http://localhost:${config.PORT}`, `http://127.0.0.1:${config.PORT}`];

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

  app.use((req, res, next) => {
    const requestId = (req.get("x-request-id") ?? "").slice(0, 100) || randomUUID();
    const nonce = randomBytes(16).toString("base64");
    res.locals.requestId = requestId;
    res.locals.cspNonce = nonce;
    req.headers["x-coterie-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    // Lets the loaders of this request share one viewer lookup (app/auth/guards.server.ts).
    req.headers["x-coterie-request-key"] = nonce;
    res.setHeader("X-Request-Id", requestId);
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'${development ? " 'unsafe-eval'" : ""}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        `connect-src 'self'${development ? " ws://localhost:*" : ""}`,
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (config.NODE_ENV === "production") {
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      if (req.path.startsWith("/build/")) return;
      logLine({
        msg: "request",
        requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  });

  app.use((req, res, next) => {
    const headers = { get: (name: string) => req.get(name) ?? null };
    if (isCrossOriginWrite(req.method, headers, allowedOrigins)) {
      res.status(403).type("text/plain").send("Cross-site request refused.");
      return;
    }
    // NUL (%00), a path that does not decode, `?_data=`, a forwarded host that is not the
    // Origin's: 400 in the reader's language, once for every route (app/http/crafted-requests.ts).
    if (craftedRequest(req.method, req.originalUrl, headers)) {
      refusalPage(headers).then((page) => res.status(400).type("html").send(page), next);
      return;
    }
    const length = Number(req.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) {
      res.status(413).type("text/plain").send("Request body too large (1 MB at most).");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD" && !req.get("content-length")) {
      // Chunked bodies are counted as they stream in.
      let received = 0;
      req.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_BODY_BYTES && !res.headersSent) {
          res.status(413).type("text/plain").send("Request body too large (1 MB at most).");
          req.destroy();
        }
      });
    }
    next();
  });

  app.use("/build", express.static(assetsDir, { immutable: true, maxAge: "1y" }));
  // public/ is read once at start (outside build/, it is what the repository ships), so other
  // paths skip the file lookup.
  const publicFiles = express.static(publicDir, { maxAge: "1h" });
  const publicPaths = new Set(
    readdirSync(publicDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${path.relative(publicDir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")}`)
      .filter((file) => !file.startsWith("/build/")),
  );
  app.use((req, res, next) => (publicPaths.has(req.path) ? publicFiles(req, res, next) : next()));

  // The edge's last word on every page's head, as it is written, over what a route sent
  // (app/http/response-head.ts): 503 and Retry-After when the database was down, and a
  // signed-in person's pages (and /account, /billing, /admin for anyone) kept by no cache.
  app.use((req, res, next) => {
    const privateRequest = isPrivateRequest(req.path, req.get("cookie"));
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      const context = res.locals.loadContext as { databaseDown?: boolean } | undefined;
      const status = typeof args[0] === "number" ? args[0] : this.statusCode;
      const sent = finishHead(this, status, { privateRequest, databaseDown: context?.databaseDown });
      if (sent !== status) {
        this.statusCode = sent;
        if (typeof args[0] === "number") args[0] = sent;
        // The reason phrase ("Internal Server Error") went with the old status.
        if (typeof args[1] === "string") args.splice(1, 1);
        this.statusMessage = "";
      }
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  });

  // Under overload requests wait their turn here, before they take database connections.
  // A process runs one request's JavaScript at a time and the others in flight wait for the
  // database, so a few in flight keep it busy; more only add contention (npm run soak: 78
  // reads/s with 20 in flight, 103 with 8, 92 with 4, on 2 cores).
  const queue = requestQueue({
    concurrency: config.MAX_CONCURRENT_REQUESTS ?? Math.min(config.DATABASE_POOL_SIZE, DEFAULT_CONCURRENT_REQUESTS),
    maxWaitMs: config.REQUEST_QUEUE_TIMEOUT_MS,
  });
  app.use((req, res, next) => (req.path === "/ping" || req.path === "/healthz" ? next() : queue(req, res, next)));

  app.all(
    "*",
    development
      ? async (req, res, next) => {
          try {
            const latest = await importBuild();
            if (latest.assets.version !== build.assets.version) {
              build = latest;
              await broadcastDevReady(build);
            }
            return createRequestHandler({
              build,
              mode: "development",
              getLoadContext: (_req, res) => (res.locals.loadContext = { cspNonce: res.locals.cspNonce, requestId: res.locals.requestId }),
            })(req, res, next);
          } catch (error) {
            next(error);
          }
        }
      : createRequestHandler({
          build,
          mode: build.mode,
          getLoadContext: (_req, res) => (res.locals.loadContext = { cspNonce: res.locals.cspNonce, requestId: res.locals.requestId }),
        }),
  );

  // Anything that escaped Remix: a plain page, never a stack trace.
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    process.stderr.write(`${JSON.stringify({ level: "error", msg: "server error", error: error.message })}\n`);
    if (!res.headersSent) res.status(500).type("text/plain").send("Something went wrong. Please try again.");
  });

  return { app, build, config };
}

export async function startServer() {
  const { app, build, config } = await createServer();
  // Against slow clients (slowloris): headers within 10 s, the whole request within 30 s,
  // checked every second.
  const server = http.createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000, keepAliveTimeout: 5_000 },
    app,
  );
  server.listen(config.PORT, config.HOST, async () => {
    logLine({ msg: `Coterie is listening on http://localhost:${config.PORT}` });
    if (development) await broadcastDevReady(build);
  });

  // In a cluster one process runs the job workers, and its replacement if it dies.
  const runsJobs = cluster.isPrimary || process.env.COTERIE_JOB_PROCESS === "1";
  if (process.env.COTERIE_WORKER !== "0" && runsJobs) {
    const { startWorkers } = await import("../app/jobs/workers.server");
    await startWorkers().catch((error: Error) =>
      process.stderr.write(`${JSON.stringify({ level: "error", msg: "workers failed to start", error: error.message })}\n`),
    );
  }

  const shutdown = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  return server;
}

/** WEB_CONCURRENCY: a number of processes, or "auto" for one per core. Defaults to 1. */
export function serverProcessCount(value = process.env.WEB_CONCURRENCY): number {
  if (value === "auto") return os.availableParallelism();
  const count = Number(value ?? 1);
  return Number.isInteger(count) && count >= 1 ? Math.min(count, 64) : 1;
}

function startCluster(count: number) {
  let stopping = false;
  let jobProcessId = cluster.fork({ COTERIE_JOB_PROCESS: "1" }).id;
  for (let i = 1; i < count; i += 1) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
      return;
    }
    // A process that dies is replaced; the others keep serving meanwhile.
    process.stderr.write(`${JSON.stringify({ level: "error", msg: "server process exited, restarting", pid: worker.process.pid, code, signal })}\n`);
    const ranJobs = worker.id === jobProcessId;
    setTimeout(() => {
      const replacement = cluster.fork(ranJobs ? { COTERIE_JOB_PROCESS: "1" } : {});
      if (ranJobs) jobProcessId = replacement.id;
    }, 1_000).unref();
  });
  const shutdown = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 6_000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const count = serverProcessCount();
  if (cluster.isPrimary && count > 1 && !development) {
    startCluster(count);
  } else {
    startServer().catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
  }
}
