import type { HeadersFunction } from "@remix-run/node";

/**
 * Remix passes only cookies from loaders and actions to the page's response; routes that
 * answer 429 or hold tokens in their URL export this to keep Retry-After and Cache-Control.
 */
export const passThroughHeaders: HeadersFunction = ({ loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers();
  for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
    for (const name of ["Retry-After", "Cache-Control"]) {
      const value = source?.get(name);
      if (value) headers.set(name, value);
    }
  }
  return headers;
};
