import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/guards.server";
import { translator } from "~/i18n/dictionary";
import { dashboardJson, dashboards } from "~/metrics/dashboard-cache.server";
import { describeErrors, readPeriod } from "~/metrics/request.server";
import { isSection, SECTIONS, sectionsFor } from "~/metrics/sections";

/**
 * /admin/metrics.json?from=YYYY-MM-DD&to=YYYY-MM-DD[&include=nps,revenue,…][&tier=<cohort tier id>]
 * The dashboard's figures with their inputs. Without from/to: the last twelve months.
 * Figures may be up to a minute old (dashboard-cache.server.ts); `computedAt` says when they were computed.
 * 400 with the reasons on a bad period or section; 403 when a curator asks for an owner's section.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const url = new URL(request.url);
  const allowed = sectionsFor(user.role);
  const { club, value, errors } = await readPeriod(url.searchParams, { bareDates: true });
  if (!value) {
    return Response.json({ error: "invalid-period", fields: describeErrors(errors, user.locale) }, { status: 400 });
  }
  let sections = allowed;
  const include = url.searchParams.get("include");
  if (include !== null) {
    const requested = [...new Set(include.split(",").map((s) => s.trim()).filter(Boolean))];
    const unknown = requested.filter((s) => !isSection(s));
    if (unknown.length || !requested.length) {
      return Response.json({ error: "unknown-section", unknown, sections: SECTIONS }, { status: 400 });
    }
    const refused = requested.filter((s) => !allowed.includes(s as (typeof allowed)[number]));
    if (refused.length) {
      return Response.json({ error: "forbidden", message: translator(user.locale)("metrics.export.ownerOnly"), sections: refused }, { status: 403 });
    }
    sections = requested.filter(isSection);
  }
  const dashboard = await dashboards.get({ from: value.from, to: value.to, timeZone: club.timeZone, sections, cohortTierId: value.tier });
  return new Response(dashboardJson(dashboard), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
