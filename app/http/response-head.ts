/**
 * The last word on every response's head, at the HTTP edge (scripts/serve.ts calls it as the
 * head is written, whatever a route or Remix sent):
 * - an error that escaped because the database cannot be reached is 503, not 500;
 * - every 503 says when to try again (Retry-After);
 * - a private page is kept by no cache (app/http/cache-control.ts).
 */
import { PRIVATE_NO_STORE } from "./cache-control";

/** Seconds a client is asked to wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 10;

export type ResponseHead = {
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
};

/** The status an error response goes out with: 503 when the database was found down while answering it. */
export function edgeStatus(status: number, databaseDown: boolean | undefined): number {
  return databaseDown && status === 500 ? 503 : status;
}

/** Sets the headers the edge owns for a response with `status`; returns the status to send. */
export function finishHead(
  head: ResponseHead,
  status: number,
  { privateRequest, databaseDown }: { privateRequest: boolean; databaseDown?: boolean },
): number {
  const sent = edgeStatus(status, databaseDown);
  if (sent === 503 && head.getHeader("retry-after") === undefined) head.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
  if (privateRequest) head.setHeader("Cache-Control", PRIVATE_NO_STORE);
  return sent;
}
