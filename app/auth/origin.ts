/**
 * Cross-site request refusal for state-changing requests. Browsers send Origin on
 * every POST; when it names another site, or Sec-Fetch-Site says cross-site, the
 * request is refused. Requests without either header (Stripe's webhooks, curl) pass:
 * they carry no browser cookies to abuse.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossOriginWrite(
  method: string,
  headers: { get(name: string): string | null },
  allowedOrigins: string[],
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const origin = headers.get("origin");
  if (origin && origin !== "null") return !allowedOrigins.includes(origin);
  if (origin === "null") return true;
  const fetchSite = headers.get("sec-fetch-site");
  return fetchSite === "cross-site";
}
