import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/ui/nonce";
import { isDatabaseUnavailable } from "~/db.server";
import { edgeStatus, RETRY_AFTER_SECONDS } from "~/http/response-head";
import { log } from "~/log.server";

const ABORT_DELAY = 5_000;

/**
 * React 18's stream encodes text into 2 KB buffers. When the next character does not fit at a
 * buffer's end, it sends the whole buffer, unused zero bytes included (facebook/react#26228,
 * fixed only in React 19), so Russian text, "€" or "—" put a NUL into the page every few KB:
 * dropped inside text, but U+FFFD inside an attribute such as a form field's value. Such a
 * buffer is exactly 2 KB and ends in at most three zero bytes, which UTF-8 text never has.
 */
const REACT_VIEW_SIZE = 2048;

function withoutUnusedBytes(chunk: Buffer): Buffer {
  if (chunk.byteLength !== REACT_VIEW_SIZE) return chunk;
  let end = chunk.byteLength;
  while (end > chunk.byteLength - 3 && chunk[end - 1] === 0) end -= 1;
  return end === chunk.byteLength ? chunk : chunk.subarray(0, end);
}

/** Collects a render's output and hands it over in one piece when React has finished. */
export function wholeHtmlSink(done: (html: Buffer<ArrayBuffer>) => void): Writable {
  const chunks: Buffer[] = [];
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(withoutUnusedBytes(chunk));
      callback();
    },
    final(callback) {
      done(Buffer.concat(chunks));
      callback();
    },
  });
}

export type CoterieLoadContext = AppLoadContext & { cspNonce?: string; requestId?: string; databaseDown?: boolean };

/**
 * Renders the whole page, then sends it in one piece. Nothing here is deferred, so streaming
 * the shell early gains nothing, and one write per response costs far less than the many
 * small chunks a stream makes (measured with `npm run bench`).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: CoterieLoadContext,
) {
  const nonce = loadContext?.cspNonce;
  // A loader or action found the database down (DatabaseUnavailable, see handleError): thrown
  // here, this Response makes Remix render the error page again as a 503, the one a reader
  // understands ("temporarily unavailable") rather than a generic failure.
  if (edgeStatus(responseStatusCode, loadContext?.databaseDown) !== responseStatusCode) throw databaseUnavailableResponse();
  if (responseStatusCode === 503 && !responseHeaders.has("Retry-After")) responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return new Promise<Response>((resolve, reject) => {
    const sink = wholeHtmlSink((html) => {
      clearTimeout(timeout);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(new Response(html, { headers: responseHeaders, status: responseStatusCode }));
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          pipe(sink);
        },
        onShellError(error: unknown) {
          clearTimeout(timeout);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          log.error("render error", { error: String(error) });
        },
      },
    );
    const timeout = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request, context }: { request: Request; context: CoterieLoadContext }) {
  // Thrown Responses (404, 403, …) are answers, not failures.
  if (request.signal.aborted || isRouteErrorResponse(error) || error instanceof Response) return;
  if (isDatabaseUnavailable(error)) {
    if (context) context.databaseDown = true;
    log.warn("database unavailable", { path: new URL(request.url).pathname });
    return;
  }
  log.error("unhandled error", {
    path: new URL(request.url).pathname,
    error: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
}

function databaseUnavailableResponse() {
  return new Response("The club's database cannot be reached right now.", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": String(RETRY_AFTER_SECONDS) },
  });
}

export const handleDataRequest: HandleDataRequestFunction = (response, { context }) => {
  const status = edgeStatus(response.status, (context as CoterieLoadContext)?.databaseDown);
  if (status === 503 && !response.headers.has("Retry-After")) {
    const headers = new Headers(response.headers);
    headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
    return new Response(response.body, { status, headers });
  }
  return response;
};
