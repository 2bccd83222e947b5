import { Prisma } from "~/generated/prisma/client";
import { notFound } from "~/auth/guards.server";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import type { CategoryInput, TierAccess } from "./schemas";

/**
 * Owners manage categories at /admin/forum: names and descriptions in both languages,
 * order, and for each tier whether it may read, or read and post.
 */
export function tiersForAccess() {
  return db.tier.findMany({
    where: { archivedAt: null },
    orderBy: { position: "asc" },
    select: { id: true, slug: true, nameEn: true, nameRu: true },
  });
}

export async function adminCategories() {
  const categories = await db.forumCategory.findMany({
    orderBy: [{ position: "asc" }, { nameEn: "asc" }],
    include: { tiers: { include: { tier: { select: { id: true, nameEn: true, nameRu: true, position: true } } } } },
  });
  return categories.map((category) => ({
    ...category,
    tiers: [...category.tiers].sort((a, b) => a.tier.position - b.tier.position),
    // Hidden threads too: the owner sees everything not deleted.
    threadCount: category.liveThreadCount + category.hiddenThreadCount,
  }));
}

export async function categoryForEdit(id: string) {
  const category = await db.forumCategory.findUnique({ where: { id }, include: { tiers: true } });
  if (!category) throw notFound();
  const access: Record<string, TierAccess> = {};
  for (const row of category.tiers) access[row.tierId] = row.canPost ? "post" : "read";
  return { category, access };
}

export type SaveResult = { ok: true; id: string } | { ok: false; field: "slug"; error: string };

/** Creates or updates a category and replaces the rows of the tiers on offer, in one transaction. */
export async function saveCategory(id: string | null, input: CategoryInput, actorId: string | null = null): Promise<SaveResult> {
  const taken = await db.forumCategory.findUnique({ where: { slug: input.slug }, select: { id: true } });
  if (taken && taken.id !== id) return { ok: false, field: "slug", error: "forumAdmin.slugTaken" };
  const knownTiers = new Set((await tiersForAccess()).map((t) => t.id));
  const rows = Object.entries(input.access)
    .filter(([tierId, access]) => knownTiers.has(tierId) && access !== "none")
    .map(([tierId, access]) => ({ tierId, canPost: access === "post" }));
  const fields = {
    slug: input.slug,
    nameEn: input.nameEn,
    nameRu: input.nameRu,
    descriptionEn: input.descriptionEn,
    descriptionRu: input.descriptionRu,
    position: input.position,
  };
  try {
    const saved = await db.$transaction(async (tx) => {
      const before = id ? await tx.forumCategory.findUnique({ where: { id }, include: { tiers: { select: { tierId: true, canPost: true } } } }) : null;
      const category = id
        ? await tx.forumCategory.update({ where: { id }, data: fields })
        : await tx.forumCategory.create({ data: fields });
      // Only the tiers on offer are on the form. An archived tier's members keep their tier, so its
      // rows stay as they were: saving a category must not take their access away.
      await tx.forumCategoryTier.deleteMany({ where: { categoryId: category.id, tierId: { in: [...knownTiers] } } });
      if (rows.length) await tx.forumCategoryTier.createMany({ data: rows.map((row) => ({ ...row, categoryId: category.id })) });
      await recordAudit(tx, {
        actorId,
        action: "forum.category",
        subjectType: "ForumCategory",
        subjectId: category.id,
        before: before ? { ...categorySettings(before), tiers: before.tiers } : null,
        after: { change: id ? "update" : "create", ...categorySettings(category), tiers: rows },
      });
      return category;
    });
    return { ok: true, id: saved.id };
  } catch (error) {
    // The same address saved a moment ago by another request (a double submit): the check above lost the race.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const holder = await db.forumCategory.findUnique({ where: { slug: input.slug }, select: { id: true } });
      if (holder && holder.id !== id) return { ok: false, field: "slug", error: "forumAdmin.slugTaken" };
    }
    throw error;
  }
}

function categorySettings(category: { slug: string; nameEn: string; nameRu: string; position: number }) {
  return { slug: category.slug, nameEn: category.nameEn, nameRu: category.nameRu, position: category.position };
}

/** Swaps a category with its neighbour above or below, renumbering the list 10, 20, 30… */
export async function moveCategory(id: string, direction: "up" | "down", actorId: string) {
  await db.$transaction(async (tx) => {
    const list = await tx.forumCategory.findMany({ orderBy: [{ position: "asc" }, { nameEn: "asc" }], select: { id: true } });
    const index = list.findIndex((c) => c.id === id);
    if (index < 0) throw notFound();
    const other = direction === "up" ? index - 1 : index + 1;
    if (other < 0 || other >= list.length) return;
    [list[index], list[other]] = [list[other], list[index]];
    for (const [i, category] of list.entries()) {
      await tx.forumCategory.update({ where: { id: category.id }, data: { position: (i + 1) * 10 } });
    }
    await recordAudit(tx, { actorId, action: "forum.category", subjectType: "ForumCategory", subjectId: id, after: { change: "move", direction, position: (other + 1) * 10 } });
  });
}

/** Deletes an empty category; one with threads is refused (409): move its threads first. */
export async function deleteCategory(id: string, actorId: string): Promise<{ ok: boolean }> {
  return db.$transaction(async (tx) => {
    const threads = await tx.forumThread.count({ where: { categoryId: id } });
    if (threads) return { ok: false };
    const before = await tx.forumCategory.findUnique({ where: { id } });
    const { count } = await tx.forumCategory.deleteMany({ where: { id } });
    if (!count || !before) throw notFound();
    await recordAudit(tx, { actorId, action: "forum.category", subjectType: "ForumCategory", subjectId: id, before: categorySettings(before), after: { change: "delete" } });
    return { ok: true };
  });
}

export async function nextCategoryPosition(): Promise<number> {
  const last = await db.forumCategory.findFirst({ orderBy: { position: "desc" }, select: { position: true } });
  return (last?.position ?? 0) + 10;
}
