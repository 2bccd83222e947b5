import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getViewer, readForm, safeRedirectTo } from "~/auth/guards.server";
import { db } from "~/db.server";
import { isLocale } from "~/i18n/dictionary";
import { localeCookie } from "~/i18n/locale.server";

export async function loader() {
  return redirect("/");
}

/** The header's language switch: remembered on the account, or in a cookie for visitors. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form.get("locale");
  const back = safeRedirectTo(form.get("redirectTo"));
  if (!isLocale(locale)) return redirect(back);
  const viewer = await getViewer(request);
  if (viewer) await db.user.update({ where: { id: viewer.user.id }, data: { locale } });
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}
