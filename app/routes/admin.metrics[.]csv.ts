import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/guards.server";
import { translator } from "~/i18n/dictionary";
import { allAtRisk, followUpHistory } from "~/metrics/at-risk.server";
import { atRiskCsv, followUpsCsv, tableCsv } from "~/metrics/csv.server";
import { dashboards } from "~/metrics/dashboard-cache.server";
import { describeErrors, readPeriod } from "~/metrics/request.server";
import { sectionsFor } from "~/metrics/sections";
import { dashboardTables, isTableId, TABLE_SECTION } from "~/metrics/tables";
import { segmentRestriction } from "~/touches/segment-choice.server";

/**
 * /admin/metrics.csv?table=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD: one table of the dashboard
 * (or the at-risk list, or the follow-ups of the period) as CSV.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const t = translator(user.locale);
  const url = new URL(request.url);
  const table = url.searchParams.get("table") ?? "";
  if (!isTableId(table)) throw new Response(t("metrics.export.unknownTable"), { status: 400 });
  const section = TABLE_SECTION[table];
  if (!sectionsFor(user.role).includes(section)) throw new Response(t("metrics.export.ownerOnly"), { status: 403 });
  const { club, value, errors } = await readPeriod(url.searchParams, { bareDates: true });
  if (!value) {
    const reasons = Object.values(describeErrors(errors, user.locale)).flat().join(" ");
    throw new Response(reasons || t("metrics.period.invalid"), { status: 400 });
  }
  // The whole dashboard the reader may see, as the page computed it: usually already cached.
  const dashboard = await dashboards.get({ from: value.from, to: value.to, timeZone: club.timeZone, sections: sectionsFor(user.role), cohortTierId: value.tier });
  // The at-risk list and the contacts' outcomes are read live.
  const now = new Date();
  let body: string;
  if (table === "at-risk") {
    // `segment`: only that saved segment's members, as the list shows them.
    const segment = await segmentRestriction(url.searchParams.get("segment") || undefined, now);
    if (!segment.ok) throw new Response(t("touches.atRisk.segment.unknown"), { status: 400 });
    body = atRiskCsv(await allAtRisk(now, segment.members), { locale: user.locale, tiers: dashboard.tiers, now, timeZone: club.timeZone });
  } else if (table === "follow-ups") {
    const history = await followUpHistory({ startsAt: new Date(dashboard.period.startsAt), endsAt: new Date(dashboard.period.endsAt), pageSize: null, now });
    body = followUpsCsv(history.entries, { locale: user.locale, now, timeZone: club.timeZone });
  } else {
    const found = dashboardTables(dashboard).find((x) => x.id === table)!;
    body = tableCsv(found, { locale: user.locale, tiers: dashboard.tiers, currency: dashboard.currency });
  }
  const name = table === "at-risk" ? `coterie-at-risk-${now.toISOString().slice(0, 10)}` : `coterie-${table}-${value.from}-${value.to}`;
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
