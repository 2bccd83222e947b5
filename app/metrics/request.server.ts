import { parseWithZod } from "@conform-to/zod/v4";
import { getClubSettings, LAYOUT_SETTINGS_MAX_AGE_MS } from "~/club.server";
import { db } from "~/db.server";
import { translator, type Locale, type MessageKey } from "~/i18n/dictionary";
import { periodSchema, searchParamsForPeriod, todayIn } from "./period";

/**
 * Reads the period (and the cohort tier) from a query string, for the dashboard page and its
 * exports. The page sends a preset or from/to with preset=custom; the exports take bare
 * from/to. Periods are checked against today in the club's time zone.
 */
export async function readPeriod(params: URLSearchParams, { bareDates = false } = {}) {
  // The time zone may be a few seconds old, like the layout's club name.
  const club = await getClubSettings({ maxAgeMs: LAYOUT_SETTINGS_MAX_AGE_MS });
  const today = todayIn(club.timeZone);
  const submission = parseWithZod(bareDates ? searchParamsForPeriod(params) : params, { schema: periodSchema(today) });
  if (submission.status !== "success") {
    return { club, today, value: null, result: submission.reply(), errors: submission.error ?? {} };
  }
  if (submission.value.tier) {
    const tier = await db.tier.findUnique({ where: { id: submission.value.tier }, select: { id: true } });
    if (!tier) {
      const errors = { tier: ["metrics.cohorts.unknownTier"] };
      return { club, today, value: null, result: submission.reply({ fieldErrors: errors }), errors };
    }
  }
  return { club, today, value: submission.value, result: null, errors: null };
}

/** Field errors in words, for a JSON 400 or a plain-text CSV refusal. */
export function describeErrors(error: Record<string, string[] | null> | null | undefined, locale: Locale): Record<string, string[]> {
  const t = translator(locale);
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(error ?? {})) {
    if (!messages?.length) continue;
    out[field || "period"] = messages.map((message) => {
      const [key, json] = message.split("|");
      let values: Record<string, string | number> | undefined;
      try {
        values = json ? JSON.parse(json) : undefined;
      } catch {
        values = undefined;
      }
      return t(key as MessageKey, values);
    });
  }
  return out;
}
