import { createCookie } from "@remix-run/node";
import { isLocale, type Locale } from "./dictionary";

/** Remembers a visitor's language choice before they have an account. */
export const localeCookie = createCookie("coterie_lang", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  maxAge: 60 * 60 * 24 * 365,
});

/** Picks the best supported language from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

/** The query parameter of an emailed link that says which language the email was written in. */
export const LINK_LANGUAGE_PARAM = "lang";

/**
 * A member's own choice wins, then the visitor's choice (the cookie), then the language of the
 * emailed link that opened the page (`?lang=`, kept by the page's forms), then the browser's
 * Accept-Language.
 */
export async function resolveLocale(request: Request, userLocale?: Locale | null): Promise<Locale> {
  if (userLocale) return userLocale;
  const fromCookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  const fromLink = new URL(request.url).searchParams.get(LINK_LANGUAGE_PARAM);
  if (isLocale(fromLink)) return fromLink;
  return localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? "en";
}

/** A redirect target within an emailed link's flow keeps the link's language (`?lang=`). */
export function keepLinkLanguage(request: Request, path: string): string {
  const lang = new URL(request.url).searchParams.get(LINK_LANGUAGE_PARAM);
  if (!isLocale(lang)) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${LINK_LANGUAGE_PARAM}=${lang}`;
}
