import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { exportMemberData } from "~/privacy/export.server";

/** The signed-in member's own data as a JSON file; no id in the address, so it is only ever theirs. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const now = new Date();
  const document = await exportMemberData(user.id, now);
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="coterie-data-${now.toISOString().slice(0, 10)}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
