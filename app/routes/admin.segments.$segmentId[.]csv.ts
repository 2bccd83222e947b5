import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireStaff } from "~/auth/guards.server";
import { getClubSettings } from "~/club.server";
import { resolveLocale } from "~/i18n/locale.server";
import { getSegment, segmentCsv } from "~/segments/segments.server";

/** /admin/segments/:segmentId.csv: the segment's current members, in the reader's language, dates in the club's time zone. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const segment = await getSegment(params.segmentId ?? "");
  if (!segment) throw notFound();
  const [club, locale] = await Promise.all([getClubSettings(), resolveLocale(request, user.locale)]);
  const now = new Date();
  const csv = await segmentCsv(segment.filter, now, locale, club.timeZone);
  const name = `coterie-segment-${segment.id}-${now.toISOString().slice(0, 10)}`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
