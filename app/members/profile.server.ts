import { notFound } from "~/auth/guards.server";
import { currentMembership } from "~/billing/access.server";
import { db, readDb } from "~/db.server";
import { readableCategoryIds, type ForumReader } from "~/forum/access.server";

/**
 * A member's profile at /members/:id, for other members: name, company and role, tier,
 * join date, and recent posts, only from categories the reader may read.
 */
export const RECENT_POSTS = 10;

export type RecentPost = {
  id: string;
  threadId: string;
  threadTitle: string;
  isOpening: boolean;
  excerpt: string;
  createdAt: Date;
  categorySlug: string;
  categoryNameEn: string;
  categoryNameRu: string;
};

export async function memberProfile(reader: ForumReader, memberId: string) {
  const member = await db.user.findUnique({
    where: { id: memberId },
    select: { id: true, name: true, company: true, jobTitle: true, role: true, createdAt: true, deactivatedAt: true, erasedAt: true },
  });
  // An erased account has no profile: its posts show "Former member" without a link target.
  if (!member || member.erasedAt) throw notFound();
  const [membership, categoryIds] = await Promise.all([currentMembership(member.id), readableCategoryIds(reader)]);
  const recentPosts = categoryIds.length
    ? await readDb.$replica().$queryRaw<RecentPost[]>`
        SELECT p.id, p."threadId", t.title AS "threadTitle", p."isOpening", left(p."bodyText", 280) AS excerpt,
               p."createdAt", c.slug AS "categorySlug", c."nameEn" AS "categoryNameEn", c."nameRu" AS "categoryNameRu"
        FROM "ForumPost" p
        JOIN "ForumThread" t ON t.id = p."threadId"
        JOIN "ForumCategory" c ON c.id = t."categoryId"
        WHERE p."authorId" = ${member.id} AND p.visible AND p."categoryId" = ANY(${categoryIds})
        ORDER BY p."createdAt" DESC, p.id DESC
        LIMIT ${RECENT_POSTS}`
    : [];
  return {
    member: {
      id: member.id,
      name: member.name,
      company: member.company,
      jobTitle: member.jobTitle,
      role: member.role,
      joinedAt: member.createdAt,
      former: Boolean(member.deactivatedAt),
    },
    tier: membership ? { slug: membership.tier.slug, nameEn: membership.tier.nameEn, nameRu: membership.tier.nameRu } : null,
    recentPosts,
  };
}
