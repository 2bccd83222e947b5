import type { Locale } from "./dictionary";

const intlLocale: Record<Locale, string> = { en: "en-GB", ru: "ru-RU" };

// Building an Intl formatter costs far more than using one; list pages format hundreds.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const numberFormatters = new Map<string, Intl.NumberFormat>();

function dateFormatter(locale: Locale, options: Intl.DateTimeFormatOptions, timeZone: string) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, ...options });
    dateFormatters.set(key, formatter);
  }
  return formatter;
}

function numberFormatter(locale: Locale, options: Intl.NumberFormatOptions = {}) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let formatter = numberFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(intlLocale[locale], options);
    numberFormatters.set(key, formatter);
  }
  return formatter;
}

export function formatDate(
  locale: Locale,
  value: Date | string,
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium" },
  timeZone = "UTC",
): string {
  return dateFormatter(locale, options, timeZone).format(new Date(value));
}

export function formatDateTime(locale: Locale, value: Date | string, timeZone = "UTC"): string {
  return formatDate(locale, value, { dateStyle: "medium", timeStyle: "short" }, timeZone);
}

export function formatNumber(locale: Locale, value: number, options?: Intl.NumberFormatOptions): string {
  return numberFormatter(locale, options).format(value);
}

export function formatPercent(locale: Locale, value: number, fractionDigits = 1): string {
  return numberFormatter(locale, { style: "percent", maximumFractionDigits: fractionDigits }).format(value / 100);
}

/** Money is stored in minor units with its currency. */
export function formatMoney(locale: Locale, minorUnits: number, currency: string): string {
  const formatter = numberFormatter(locale, { style: "currency", currency: currency.toUpperCase() });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minorUnits / 10 ** digits);
}
