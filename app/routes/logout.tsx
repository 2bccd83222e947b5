import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie, invalidateSession, readSessionToken } from "~/auth/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const token = await readSessionToken(request);
  if (token) await invalidateSession(token);
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
