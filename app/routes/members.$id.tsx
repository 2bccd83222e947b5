import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireForumReader } from "~/forum/access.server";
import { Badge, useFormat, useLocalized } from "~/forum/ui";
import { useT } from "~/i18n/i18n";
import { memberProfile } from "~/members/profile.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.member.name ?? "Member" }];

/** Members only: a visitor is sent to sign in, a signed-in person without a tier gets 403. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireForumReader(request);
  return memberProfile(reader, params.id ?? "");
}

export default function MemberProfile() {
  const { member, tier, recentPosts } = useLoaderData<typeof loader>();
  const t = useT();
  const { date, dateTime } = useFormat();
  const name = useLocalized();
  return (
    <div className="mx-auto max-w-3xl space-y-8 wrap-anywhere">
      <div className="flex flex-wrap items-center gap-3">
        <h1>{member.name}</h1>
        {tier ? <span className="badge">{name(tier)}</span> : null}
        {member.role !== "MEMBER" ? <Badge tone="green">{t(`role.${member.role}`)}</Badge> : null}
        {member.former ? <Badge tone="slate">{t("profile.former")}</Badge> : null}
      </div>
      <dl className="card grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        <dt className="font-medium">{t("profile.jobTitle")}</dt>
        <dd>{member.jobTitle || "—"}</dd>
        <dt className="font-medium">{t("profile.company")}</dt>
        <dd>{member.company || "—"}</dd>
        <dt className="font-medium">{t("profile.tier")}</dt>
        <dd>{tier ? name(tier) : t("profile.noTier")}</dd>
        <dt className="font-medium">{t("profile.joined")}</dt>
        <dd>{date(member.joinedAt)}</dd>
      </dl>
      <section aria-labelledby="recent-posts">
        <h2 id="recent-posts" className="mb-4">
          {t("profile.recentPosts")}
        </h2>
        {recentPosts.length ? (
          <ul className="space-y-3">
            {recentPosts.map((post) => (
              <li key={post.id} className="card">
                <p className="font-semibold">
                  <Link to={`/forum/p/${post.id}`}>
                    {post.isOpening
                      ? t("profile.startedThread", { title: post.threadTitle })
                      : t("profile.repliedIn", { title: post.threadTitle })}
                  </Link>
                </p>
                <p className="text-sm text-slate-700">
                  {name({ nameEn: post.categoryNameEn, nameRu: post.categoryNameRu })} · {dateTime(post.createdAt)}
                </p>
                <p className="mt-2 text-slate-800">{post.excerpt}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("profile.noPosts")}</p>
        )}
      </section>
    </div>
  );
}
