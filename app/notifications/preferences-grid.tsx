import { Form } from "@remix-run/react";
import { useT } from "~/i18n/i18n";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, preferenceField } from "./kinds";
import type { PreferenceGrid } from "./preferences";

/** The kind × channel grid on /account. A plain form: it posts to /notifications/preferences, with or without JavaScript. */
export function NotificationPreferencesGrid({ grid, saved }: { grid: PreferenceGrid; saved: boolean }) {
  const t = useT();
  return (
    <Form method="post" action="/notifications/preferences" className="card" id="notifications" aria-labelledby="notifications-title">
      <h2 id="notifications-title" className="mb-2">
        {t("notifications.grid.title")}
      </h2>
      <p className="mb-4 text-slate-700">{t("notifications.grid.intro")}</p>
      <table className="mb-4 w-full text-left">
        <thead>
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">
              {t("notifications.grid.kind")}
            </th>
            {NOTIFICATION_CHANNELS.map((channel) => (
              <th key={channel} scope="col" className="px-2 py-1 text-center font-medium">
                {t(`notifications.channel.${channel}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {NOTIFICATION_KINDS.map((kind) => (
            <tr key={kind} className="border-t border-slate-200">
              <th scope="row" className="py-2 pr-4 font-normal">
                {t(`notifications.kind.${kind}`)}
              </th>
              {NOTIFICATION_CHANNELS.map((channel) => {
                const field = preferenceField(kind, channel);
                return (
                  <td key={channel} className="px-2 py-2 text-center">
                    <input
                      type="checkbox"
                      name={field}
                      id={`pref-${field}`}
                      defaultChecked={grid[kind][channel]}
                      className="h-4 w-4"
                      aria-label={`${t(`notifications.kind.${kind}`)}: ${t(`notifications.channel.${channel}`)}`}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary">
          {t("notifications.grid.save")}
        </button>
        {saved ? (
          <p role="status" className="text-sm text-green-800">
            {t("notifications.grid.saved")}
          </p>
        ) : null}
      </div>
    </Form>
  );
}
