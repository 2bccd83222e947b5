import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "~/ui/nonce";
import { isDatabaseUnavailable } from "~/db.server";
import { log } from "~/log.server";

const ABORT_DELAY = 5_000;

export type CoterieLoadContext = AppLoadContext & { cspNonce?: string; requestId?: string; databaseDown?: boolean };

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
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) log.error("render error", { error: String(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
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
