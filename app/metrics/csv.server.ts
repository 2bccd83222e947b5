import { translator, type Locale, type MessageKey } from "~/i18n/dictionary";
import { RETURN_WINDOW_DAYS, type AtRiskMember, type FollowUpEntry } from "./at-risk.server";
import type { TierRef } from "./dashboard.server";
import { todayIn } from "./period";
import type { Cell, Column, MetricsTable } from "./tables";

/**
 * CSV for spreadsheets: RFC 4180 quoting, CRLF line ends, a UTF-8 byte-order mark so Excel
 * reads Cyrillic, headers in the reader's language and values unformatted (money in major
 * units, percentages as numbers). Text that a spreadsheet would run as a formula is
 * prefixed with an apostrophe.
 * In Russian, as a spreadsheet set to Russian reads it: `;` between fields and a decimal comma.
 */
function quote(value: string, separator: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: Array<Array<string | number | null>>, { locale = "en" }: { locale?: Locale } = {}): string {
  const separator = locale === "ru" ? ";" : ",";
  const number = (n: number) => (locale === "ru" ? String(n).replace(".", ",") : String(n));
  const line = (cells: Array<string | number | null>) =>
    cells.map((c) => (c === null ? "" : typeof c === "number" ? number(c) : quote(c, separator))).join(separator);
  return `\uFEFF${[line(header), ...rows.map(line)].join("\r\n")}\r\n`;
}

/** An instant as the page shows it: the calendar date, or date and time, in the club's time zone. */
function localDay(iso: string | null, timeZone: string): string | null {
  return iso ? todayIn(timeZone, new Date(iso)) : null;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "YYYY-MM-DD HH:MM" in a time zone: the form every export writes instants in. */
export function localDateTime(iso: string | null, timeZone: string): string | null {
  if (!iso) return null;
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    timeFormats.set(timeZone, format);
  }
  return `${localDay(iso, timeZone)} ${format.format(new Date(iso))}`;
}

function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function tableCsv(table: MetricsTable, { locale, tiers, currency }: { locale: Locale; tiers: TierRef[]; currency: string }): string {
  const t = translator(locale);
  const digits = minorDigits(currency);
  const header = table.columns.map((column) => {
    const label = t(column.label, column.values);
    // The unit once: "Promoters %" already says it ("Promoters % (%)" did not help anyone).
    const unit = column.type === "money" ? currency.toUpperCase() : column.type === "percent" ? "%" : null;
    return unit && !label.includes(unit) ? `${label} (${unit})` : label;
  });
  const value = (column: Column, cell: Cell): string | number | null => {
    if (cell === null) return column.type === "tier" ? t("metrics.tier.none") : null;
    switch (column.type) {
      case "month":
        return String(cell).slice(0, 7);
      case "tenure":
        return t(`metrics.tenure.${String(cell)}` as MessageKey);
      case "tier": {
        const tier = tiers.find((x) => x.id === cell);
        return tier ? (locale === "ru" ? tier.nameRu : tier.nameEn) : t("metrics.tier.none");
      }
      case "money":
        return round(Number(cell) / 10 ** digits, digits);
      case "percent":
      case "decimal":
      case "nps":
        return round(Number(cell), 2);
      case "bool":
        return cell ? t("metrics.yes") : t("metrics.no");
      default:
        return typeof cell === "number" ? cell : String(cell);
    }
  };
  const rows = table.rows.map((row) => row.map((cell, i) => value(table.columns[i], cell)));
  if (table.footer) rows.push([t(table.footer.label), ...table.footer.cells.map((cell, i) => (cell === null ? null : value(table.columns[i + 1], cell)))]);
  return toCsv(header, rows, { locale });
}

export function atRiskCsv(members: AtRiskMember[], { locale, tiers, now, timeZone }: { locale: Locale; tiers: TierRef[]; now: Date; timeZone: string }): string {
  const day = (iso: string | null) => localDay(iso, timeZone);
  const t = translator(locale);
  const tierName = (id: string | null) => {
    const tier = tiers.find((x) => x.id === id);
    return tier ? (locale === "ru" ? tier.nameRu : tier.nameEn) : t("metrics.tier.none");
  };
  return toCsv(
    [
      t("metrics.atRisk.member"),
      t("metrics.col.email"),
      t("metrics.col.tier"),
      t("metrics.atRisk.detractors"),
      t("metrics.atRisk.inactive"),
      t("metrics.atRisk.score"),
      t("metrics.atRisk.answeredAt"),
      t("metrics.atRisk.lastActive"),
      t("metrics.atRisk.quietDays"),
      t("metrics.atRisk.joinedAt"),
    ],
    members.map((m) => [
      m.name,
      m.email,
      tierName(m.tierId),
      m.detractor ? t("metrics.yes") : t("metrics.no"),
      m.inactive ? t("metrics.yes") : t("metrics.no"),
      m.score,
      day(m.answeredAt),
      day(m.lastActiveAt),
      Math.floor((now.getTime() - new Date(m.quietSince).getTime()) / 86_400_000),
      day(m.joinedAt),
    ]),
    { locale },
  );
}

export function followUpsCsv(entries: FollowUpEntry[], { locale, now, timeZone }: { locale: Locale; now: Date; timeZone: string }): string {
  const day = (iso: string | null) => localDay(iso, timeZone);
  const t = translator(locale);
  const daysLeft = (createdAt: string) => Math.max(0, RETURN_WINDOW_DAYS - Math.floor((now.getTime() - new Date(createdAt).getTime()) / 86_400_000));
  return toCsv(
    [
      t("metrics.col.date"),
      t("metrics.atRisk.member"),
      t("metrics.col.email"),
      t("metrics.col.kind"),
      t("metrics.col.staff"),
      t("metrics.col.note"),
      t("metrics.col.wasDetractor"),
      t("metrics.col.wasInactive"),
      t("metrics.col.outcome"),
      t("metrics.col.returnedAt"),
    ],
    entries.map((e) => [
      localDateTime(e.createdAt, timeZone),
      e.member.name,
      e.member.email,
      t(`metrics.followUp.kind.${e.kind}`),
      e.staffName ?? t("metrics.followUp.formerStaff"),
      e.note,
      e.wasDetractor ? t("metrics.yes") : t("metrics.no"),
      e.wasInactive ? t("metrics.yes") : t("metrics.no"),
      e.outcome ? t(`metrics.followUp.outcome.${e.outcome}`, { date: day(e.returnedAt) ?? "", days: daysLeft(e.createdAt) }) : null,
      localDateTime(e.returnedAt, timeZone),
    ]),
    { locale },
  );
}
