import type { Locale } from "./dictionary";

const intlLocale: Record<Locale, string> = { en: "en-GB", ru: "ru-RU" };

export function formatDate(
  locale: Locale,
  value: Date | string,
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium" },
  timeZone = "UTC",
): string {
  return new Intl.DateTimeFormat(intlLocale[locale], { timeZone, ...options }).format(new Date(value));
}

export function formatDateTime(locale: Locale, value: Date | string, timeZone = "UTC"): string {
  return formatDate(locale, value, { dateStyle: "medium", timeStyle: "short" }, timeZone);
}

export function formatNumber(locale: Locale, value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(intlLocale[locale], options).format(value);
}

export function formatPercent(locale: Locale, value: number, fractionDigits = 1): string {
  return new Intl.NumberFormat(intlLocale[locale], {
    style: "percent",
    maximumFractionDigits: fractionDigits,
  }).format(value / 100);
}

/** Money is stored in minor units with its currency. */
export function formatMoney(locale: Locale, minorUnits: number, currency: string): string {
  const formatter = new Intl.NumberFormat(intlLocale[locale], { style: "currency", currency: currency.toUpperCase() });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minorUnits / 10 ** digits);
}
