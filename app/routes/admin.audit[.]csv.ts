import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { auditCsv, auditEntries, readAuditFilter } from "~/audit/audit.server";
import { requireRole } from "~/auth/guards.server";
import { translator, type MessageKey } from "~/i18n/dictionary";

/** /admin/audit.csv?actor=&action=&from=&to=: every row the page's filters match, for owners. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const t = translator(user.locale);
  const read = await readAuditFilter(new URL(request.url).searchParams);
  if (!read.ok) {
    const reasons = Object.values(read.errors).flat().map((key) => t(key as MessageKey));
    throw new Response(reasons.join(" ") || t("audit.filter.invalid"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const { before: _cursor, ...filter } = read.value;
  const rows = await auditEntries(filter, { timeZone: read.club.timeZone, limit: null });
  const name = `coterie-audit-${new Date().toISOString().slice(0, 10)}`;
  return new Response(auditCsv(rows, { locale: user.locale, timeZone: read.club.timeZone }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}

/** The export only reads. */
export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  throw new Response(translator(user.locale)("audit.readOnly"), { status: 405, headers: { Allow: "GET, HEAD" } });
}
