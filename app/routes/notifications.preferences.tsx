import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { badRequest, readForm, requireUser } from "~/auth/guards.server";
import { PreferenceGridSchema } from "~/notifications/preferences";
import { savePreferences } from "~/notifications/preferences.server";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

/** The grid lives on /account; this address only receives it. */
export const loader = () => redirect("/account#notifications");

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const submission = parseWithZod(await readForm(request), { schema: PreferenceGridSchema });
  if (submission.status !== "success") throw badRequest();
  await savePreferences(user.id, submission.value);
  return redirect("/account?notifications=saved#notifications");
}
