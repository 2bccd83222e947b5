import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { z } from "zod";
import { badRequest, readForm, requireUser } from "~/auth/guards.server";
import { formatDateTime, metaTranslator, useLocale, useT } from "~/i18n/i18n";
import { resolveLocale } from "~/i18n/locale.server";
import { listNotifications, markAllNotificationsRead, markNotificationRead } from "~/notifications/centre.server";

export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("notifications.title") }];

const PageParam = z.coerce.number().int().min(1).max(10_000).catch(0);

function pageOf(url: URL): number {
  const raw = url.searchParams.get("page");
  if (raw === null) return 1;
  const page = PageParam.parse(raw);
  if (!page) throw badRequest();
  return page;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  const page = pageOf(new URL(request.url));
  const locale = await resolveLocale(request, user.locale);
  const { entries, hasOlder } = await listNotifications(user.id, locale, page);
  return { page, entries, hasOlder };
}

const CentreAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.string().min(1).max(64), page: z.coerce.number().int().min(1).max(10_000).default(1) }),
  z.object({ intent: z.literal("read-all") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  const parsed = CentreAction.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw badRequest();
  if (parsed.data.intent === "read-all") {
    await markAllNotificationsRead(user.id);
    return redirect("/notifications");
  }
  await markNotificationRead(user.id, parsed.data.id);
  return redirect(parsed.data.page > 1 ? `/notifications?page=${parsed.data.page}` : "/notifications");
}

export default function Notifications() {
  const { page, entries, hasOlder } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const timeZone = useRouteLoaderData<{ timeZone: string }>("root")?.timeZone ?? "UTC";
  const anyUnread = entries.some((entry) => !entry.read);
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1>{t("notifications.title")}</h1>
        {anyUnread ? (
          <Form method="post">
            <button type="submit" name="intent" value="read-all" className="btn">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      <p>
        <Link to="/account#notifications">{t("notifications.settingsLink")}</Link>
      </p>
      {entries.length ? (
        <ol className="card divide-y divide-slate-200" aria-label={t("notifications.title")}>
          {entries.map((entry) => (
            <li key={entry.id} className="flex flex-wrap items-start justify-between gap-3 py-3 wrap-anywhere" data-read={entry.read ? "true" : "false"}>
              <div className="min-w-0 flex-1">
                {!entry.read ? <span className="badge mr-2">{t("notifications.unread")}</span> : null}
                <Link to={entry.url} className={entry.read ? "text-slate-700" : "font-semibold"}>
                  {entry.line}
                </Link>
                <div className="text-sm text-slate-600">
                  <time dateTime={new Date(entry.createdAt).toISOString()}>{formatDateTime(locale, entry.createdAt, timeZone)}</time>
                </div>
              </div>
              {!entry.read ? (
                <Form method="post">
                  <input type="hidden" name="id" value={entry.id} />
                  <input type="hidden" name="page" value={page} />
                  <button type="submit" name="intent" value="read" className="btn">
                    {t("notifications.markRead")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="card text-slate-700">{t("notifications.empty")}</p>
      )}
      {page > 1 || hasOlder ? (
        <nav aria-label={t("notifications.page", { page })} className="flex justify-between">
          {page > 1 ? <Link to={page === 2 ? "/notifications" : `/notifications?page=${page - 1}`}>{t("notifications.newer")}</Link> : <span />}
          {hasOlder ? <Link to={`/notifications?page=${page + 1}`}>{t("notifications.older")}</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
