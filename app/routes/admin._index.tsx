import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/guards.server";
import { db } from "~/db.server";
import { metaTranslator, useT, type MessageKey } from "~/i18n/i18n";

const SECTIONS: Array<{ to: string; label: MessageKey; ownerOnly?: boolean }> = [
  { to: "/admin/applications", label: "admin.applications" },
  { to: "/admin/members", label: "admin.members" },
  { to: "/admin/invites", label: "admin.invites", ownerOnly: true },
  { to: "/admin/tiers", label: "admin.tiers", ownerOnly: true },
  { to: "/admin/metrics", label: "admin.metrics" },
  { to: "/admin/segments", label: "segments.title" },
  { to: "/admin/playbooks", label: "playbooks.title" },
  { to: "/admin/reports", label: "admin.reports" },
  { to: "/admin/forum", label: "admin.forum", ownerOnly: true },
  { to: "/admin/outbox", label: "admin.outbox", ownerOnly: true },
  { to: "/admin/digest", label: "admin.digest" },
  { to: "/admin/telegram", label: "telegram.admin.title", ownerOnly: true },
  { to: "/admin/settings", label: "admin.settings", ownerOnly: true },
  { to: "/admin/audit", label: "admin.audit", ownerOnly: true },
];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("admin.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  const members = await db.user.count({ where: { deactivatedAt: null } });
  return { isOwner: user.role === "OWNER", members };
}

export default function AdminHome() {
  const { isOwner, members } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="space-y-6">
      <h1>{t("admin.title")}</h1>
      <p className="text-slate-700">{t("admin.intro")}</p>
      <p>{t("admin.membersCount", { count: members })}</p>
      <ul className="grid gap-4 sm:grid-cols-3">
        {SECTIONS.filter((s) => isOwner || !s.ownerOnly).map((section) => (
          <li key={section.to}>
            <Link to={section.to} className="card block font-semibold no-underline hover:border-indigo-400">
              {t(section.label)}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
