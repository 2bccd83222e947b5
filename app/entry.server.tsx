import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/ui/nonce";
import { isDatabaseUnavailable } from "~/db.server";
import { log } from "~/log.server";

const ABORT_DELAY = 5_000;

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
  // An error that escaped a loader because the database is down is a 503, not a 500.
  if (loadContext?.databaseDown && responseStatusCode === 500) responseStatusCode = 503;
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        clearTimeout(timeout);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        callback();
      },
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

export const handleDataRequest: HandleDataRequestFunction = (response, { context }) => {
  if ((context as CoterieLoadContext)?.databaseDown && response.status === 500) {
    return new Response(response.body, { status: 503, headers: response.headers });
  }
  return response;
};
