import type { Locale, Translate } from "~/i18n/i18n";
import { ANY_VOUCHER, type SegmentFilter } from "./filter";

export type TierChoice = { id: string; nameEn: string; nameRu: string };
export type VoucherChoice = { id: string; name: string };

/** The filter in words, in the reader's language: "hold Community or Professional; read Russian". */
export function describeFilter(
  filter: SegmentFilter,
  { t, locale, tiers, vouchers, memberName }: { t: Translate; locale: Locale; tiers: TierChoice[]; vouchers: VoucherChoice[]; memberName: (name: string) => string },
): string {
  const or = (items: string[]) => items.join(t("segments.describe.or"));
  const parts: string[] = [];
  if (filter.tierIds) {
    const names = filter.tierIds.map((id) => {
      const tier = tiers.find((x) => x.id === id);
      return tier ? (locale === "ru" ? tier.nameRu : tier.nameEn) : t("segments.describe.unknownTier");
    });
    parts.push(t("segments.describe.tiers", { tiers: or(names) }));
  }
  const tenure = filter.tenureMonths;
  if (tenure?.min !== undefined && tenure.max !== undefined) parts.push(t("segments.describe.tenureBetween", { min: tenure.min, max: tenure.max }));
  else if (tenure?.min !== undefined) parts.push(t("segments.describe.tenureMin", { min: tenure.min }));
  else if (tenure?.max !== undefined) parts.push(t("segments.describe.tenureMax", { next: tenure.max + 1 }));
  if (filter.locale) parts.push(t("segments.describe.locale", { language: t(`segments.language.${filter.locale}`) }));
  if (filter.npsGroups) parts.push(t("segments.describe.nps", { groups: or(filter.npsGroups.map((g) => t(`segments.nps.${g}`))) }));
  const quiet = filter.inactiveDays;
  if (quiet?.min !== undefined && quiet.max !== undefined) parts.push(t("segments.describe.inactiveBetween", { min: quiet.min, max: quiet.max }));
  else if (quiet?.min !== undefined) parts.push(t("segments.describe.inactiveMin", { min: quiet.min }));
  else if (quiet?.max !== undefined) parts.push(t("segments.describe.inactiveMax", { max: quiet.max }));
  if (filter.vouchedBy === ANY_VOUCHER) parts.push(t("segments.describe.vouchedAny"));
  else if (filter.vouchedBy) {
    const voucher = vouchers.find((v) => v.id === filter.vouchedBy);
    parts.push(t("segments.describe.vouchedBy", { name: memberName(voucher?.name ?? "") }));
  }
  if (filter.telegramLinked !== undefined) parts.push(t(filter.telegramLinked ? "segments.describe.telegramYes" : "segments.describe.telegramNo"));
  return parts.length ? parts.join(t("segments.describe.and")) : t("segments.describe.everyone");
}
