import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { requestQueue } from "../../scripts/request-queue";

/** A server whose handler holds each request until the test lets it go. */
async function serverWith(options: { concurrency: number; maxWaitMs: number }) {
  const queue = requestQueue(options);
  const held: Array<{ path: string; finish: () => void }> = [];
  const app = express();
  app.use(queue);
  app.all("*", (req, res) => held.push({ path: req.path, finish: () => res.type("text/plain").send(req.path) }));
  const server = http.createServer(app).listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { queue, held, base, close: () => new Promise((resolve) => server.close(resolve)) };
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

let close: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("the request queue", () => {
  it("works on at most `concurrency` requests and starts waiting writes before waiting reads", async () => {
    const s = await serverWith({ concurrency: 2, maxWaitMs: 5_000 });
    close = s.close;
    const answers = [
      fetch(`${s.base}/a`),
      fetch(`${s.base}/b`),
      fetch(`${s.base}/read`),
      fetch(`${s.base}/write`, { method: "POST" }),
    ].map((p) => p.then((r) => r.text()));
    await waitFor(() => s.held.length === 2 && s.queue.stats().waitingReads + s.queue.stats().waitingWrites === 2);
    expect(s.queue.stats()).toEqual({ active: 2, waitingWrites: 1, waitingReads: 1 });

    s.held[0].finish();
    await waitFor(() => s.held.length === 3);
    expect(s.held[2].path).toBe("/write");
    s.held[1].finish();
    await waitFor(() => s.held.length === 4);
    expect(s.held[3].path).toBe("/read");
    s.held[2].finish();
    s.held[3].finish();
    expect((await Promise.all(answers)).sort()).toEqual(["/a", "/b", "/read", "/write"]);
    expect(s.queue.stats()).toEqual({ active: 0, waitingWrites: 0, waitingReads: 0 });
  });

  it("answers 503 with Retry-After to a request that waited too long, and serves the rest", async () => {
    const s = await serverWith({ concurrency: 1, maxWaitMs: 100 });
    close = s.close;
    const first = fetch(`${s.base}/first`);
    await waitFor(() => s.held.length === 1);
    const late = await fetch(`${s.base}/late`);
    expect(late.status).toBe(503);
    expect(late.headers.get("retry-after")).toBe("5");
    expect(await late.text()).toMatch(/very busy/);
    s.held[0].finish();
    expect(await (await first).text()).toBe("/first");
    expect(s.queue.stats()).toEqual({ active: 0, waitingWrites: 0, waitingReads: 0 });
  });

  it("forgets a waiting request whose client went away", async () => {
    const s = await serverWith({ concurrency: 1, maxWaitMs: 5_000 });
    close = s.close;
    const first = fetch(`${s.base}/first`);
    await waitFor(() => s.held.length === 1);
    const controller = new AbortController();
    const gone = fetch(`${s.base}/gone`, { signal: controller.signal }).catch(() => "aborted");
    await waitFor(() => s.queue.stats().waitingReads === 1);
    controller.abort();
    expect(await gone).toBe("aborted");
    await waitFor(() => s.queue.stats().waitingReads === 0);
    s.held[0].finish();
    await first;
    await waitFor(() => s.queue.stats().active === 0);
    expect(s.held.map((h) => h.path)).toEqual(["/first"]);
  });
});
