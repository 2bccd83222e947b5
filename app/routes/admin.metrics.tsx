import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { metaTranslator } from "~/i18n/i18n";
import { requireStaff } from "~/auth/guards.server";
import { db } from "~/db.server";
import { dashboards } from "~/metrics/dashboard-cache.server";
import { DashboardView, type DashboardPageData } from "~/metrics/dashboard-view";
import { readPeriod } from "~/metrics/request.server";
import { sectionsFor } from "~/metrics/sections";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("metrics.title") }];

/** The owner's dashboard; curators see its engagement part and the at-risk summary. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const sections = sectionsFor(user.role);
  const [{ club, value, result }, tiers] = await Promise.all([
    readPeriod(new URL(request.url).searchParams),
    db.tier.findMany({ orderBy: { position: "asc" }, select: { id: true, nameEn: true, nameRu: true } }),
  ]);
  const page: DashboardPageData = {
    isOwner: user.role === "OWNER",
    preset: value?.preset ?? "custom",
    period: value ? { from: value.from, to: value.to, tier: value.tier } : null,
    result,
    dashboard: null,
    timeZone: club.timeZone,
    tiers,
  };
  if (!value) return data(page, { status: 400 });
  page.dashboard = await dashboards.get({ from: value.from, to: value.to, timeZone: club.timeZone, sections, cohortTierId: value.tier });
  return page;
}

export default function MetricsDashboard() {
  return <DashboardView data={useLoaderData<typeof loader>() as DashboardPageData} />;
}
