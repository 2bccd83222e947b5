import { NavLink } from "@remix-run/react";
import { useT } from "~/i18n/i18n";

/** The header's bell: a link to /notifications with the unread count. */
export function NotificationBell({ unread }: { unread: number }) {
  const t = useT();
  const shown = unread >= 100 ? "99+" : String(unread);
  return (
    <NavLink
      to="/notifications"
      className={({ isActive }) => `nav-link relative ${isActive ? "nav-link-active" : ""}`}
      aria-label={unread ? t("notifications.bellUnread", { count: shown }) : t("notifications.bell")}
      data-testid="notification-bell"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {unread ? (
        <span aria-hidden="true" className="ml-1 rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white" data-testid="notification-count">
          {shown}
        </span>
      ) : null}
    </NavLink>
  );
}
