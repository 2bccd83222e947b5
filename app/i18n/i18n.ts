import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { translator, type Locale, type Translate } from "./dictionary";

export { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from "./format";
export type { Locale, MessageKey, Translate } from "./dictionary";

type RootData = { locale: Locale; timeZone: string };

/** The visitor's locale, as chosen by the root loader. */
export function useLocale(): Locale {
  const data = useRouteLoaderData<RootData>("root");
  return data?.locale ?? "en";
}

/**
 * For a route's `meta`: a translator in the reader's language, from the root loader's data. It is
 * there even when the page's own loader failed (the title of an error page), and meta runs outside
 * React, so useT() cannot be used.
 */
export function metaTranslator(matches: ReadonlyArray<{ id: string; data?: unknown }>): { t: Translate; locale: Locale } {
  const root = matches.find((match) => match.id === "root")?.data as Partial<RootData> | undefined;
  const locale = root?.locale ?? "en";
  return { t: translator(locale), locale };
}

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}
