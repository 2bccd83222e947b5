/**
 * A limit on the requests one server process works on at once, with a queue for the rest.
 *
 * Without it, an overload starts every request at once: each one takes a database
 * connection for one query, gives it back, and queues again for the next, so every request
 * waits behind every other at every query and some wait past the pool's time-out (a 500 or
 * 503 halfway through a page). With it, a request waits once, before it starts, and then runs
 * at full speed. Writes go ahead of reads in the queue: a member's reply matters more than
 * one more page view. A request that waits longer than `maxWaitMs` gets 503 with Retry-After,
 * and one whose client went away leaves the queue.
 */
import type { NextFunction, Request, Response } from "express";

type Waiting = { start: () => void; timer: NodeJS.Timeout };

export type RequestQueueOptions = {
  /** Requests worked on at once. */
  concurrency: number;
  /** How long a request may wait for its turn before it is refused with 503. */
  maxWaitMs: number;
};

export function requestQueue({ concurrency, maxWaitMs }: RequestQueueOptions) {
  let active = 0;
  const writes: Waiting[] = [];
  const reads: Waiting[] = [];

  function startNext() {
    const next = writes.shift() ?? reads.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start();
    }
  }

  function middleware(req: Request, res: Response, next: NextFunction) {
    const start = () => {
      active += 1;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        active -= 1;
        startNext();
      };
      res.once("finish", release);
      res.once("close", release);
      next();
    };
    if (active < concurrency) {
      start();
      return;
    }
    const queue = req.method === "GET" || req.method === "HEAD" ? reads : writes;
    const leave = () => {
      const index = queue.indexOf(waiting);
      if (index >= 0) queue.splice(index, 1);
      clearTimeout(waiting.timer);
    };
    const waiting: Waiting = {
      start: () => {
        res.off("close", leave);
        start();
      },
      timer: setTimeout(() => {
        leave();
        res.off("close", leave);
        if (!res.headersSent) {
          res
            .status(503)
            .set("Retry-After", "5")
            .type("text/plain")
            .send("The club's server is very busy right now. Please try again in a few seconds.");
        }
      }, maxWaitMs),
    };
    res.once("close", leave);
    queue.push(waiting);
  }

  return Object.assign(middleware, {
    stats: () => ({ active, waitingWrites: writes.length, waitingReads: reads.length }),
  });
}
