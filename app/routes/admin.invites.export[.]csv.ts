import type { LoaderFunctionArgs } from "@remix-run/node";
import { invitesCsv } from "~/admission/invites.server";
import { INVITE_FILTERS, type InviteFilter } from "~/admission/lists";
import { requireRole } from "~/auth/guards.server";

/** The owner's invite codes as CSV: all of them, one batch (?batch=) or one status (?status=). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  const params = new URL(request.url).searchParams;
  const status = params.get("status");
  const filter: InviteFilter = (INVITE_FILTERS as readonly string[]).includes(status ?? "") ? (status as InviteFilter) : "all";
  const csv = await invitesCsv({ batch: params.get("batch"), filter });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invite-codes-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
