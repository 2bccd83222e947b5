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

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}
