/**
 * Requests no page of ours sends, refused at the HTTP edge (scripts/serve.ts) with 400 before
 * Remix runs, so none of them becomes a 500 with a stack in the log. The refusal is a small page
 * in the reader's language (their language cookie, else the browser's Accept-Language).
 */
import { isLocale, translator } from "../i18n/dictionary";
import { localeCookie, localeFromAcceptLanguage } from "../i18n/locale.server";
import { escapeHtml } from "../ui/escape-html";

export type CraftedRequest =
  /** NUL (%00): means nothing in an address, and PostgreSQL text cannot hold it. */
  | "nul"
  /** A path whose percent-encoding does not decode (`/forum/%E0%A4%A`, `/login%ZZ`). */
  | "encoding"
  /** `?_data=`: the old data requests; this app's browser code asks for `.data` instead. */
  | "data-param"
  /** A write whose X-Forwarded-Host (or Host) is not the host its Origin names. */
  | "forwarded-host";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

type Headers = { get(name: string): string | null | undefined };

/** Why this request is refused, or null when it may go on. `url` is the path and query as sent. */
export function craftedRequest(method: string, url: string, headers: Headers): CraftedRequest | null {
  if (url.includes("%00")) return "nul";
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  try {
    decodeURIComponent(path);
  } catch {
    return "encoding";
  }
  if (queryAt !== -1 && new URLSearchParams(url.slice(queryAt + 1)).has("_data")) return "data-param";
  if (!SAFE_METHODS.has(method.toUpperCase())) {
    // Remix aborts such an action with an Error (a 500); the check is the same as its own.
    const origin = headers.get("origin");
    if (origin && origin !== "null") {
      let originHost: string;
      try {
        originHost = new URL(origin).host;
      } catch {
        return "forwarded-host";
      }
      const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
      if (!host || host !== originHost) return "forwarded-host";
    }
  }
  return null;
}

/** The 400 page for a refused request, in the reader's language. */
export async function refusalPage(headers: Headers): Promise<string> {
  const fromCookie = await localeCookie.parse(headers.get("cookie") ?? null).catch(() => null);
  const locale = isLocale(fromCookie) ? fromCookie : (localeFromAcceptLanguage(headers.get("accept-language") ?? null) ?? "en");
  const t = translator(locale);
  return `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t("error.400.title"))}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; text-align: center; color: #0f172a">
<p style="color: #4338ca; font-weight: 600">400</p>
<h1>${escapeHtml(t("error.400.title"))}</h1>
<p>${escapeHtml(t("error.400.body"))}</p>
<p><a href="/">${escapeHtml(t("error.home"))}</a></p>
</body></html>
`;
}
