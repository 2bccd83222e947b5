import type { AdmissionCriterion } from "~/generated/prisma/client";
import { recordAudit } from "~/audit/audit.server";
import { db } from "~/db.server";
import type { Locale } from "~/i18n/dictionary";
import type { CriterionForForm } from "./application-form";
import { optionLines, type CriterionInput } from "./criterion-form";

/** The criteria on the application form, in order. */
export function activeCriteria() {
  return db.admissionCriterion.findMany({ where: { archivedAt: null }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] });
}

/** Every criterion, archived ones last, for the owner's settings. */
export async function allCriteria() {
  const criteria = await db.admissionCriterion.findMany({
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    include: { _count: { select: { answers: true, scores: true } } },
  });
  return [...criteria.filter((c) => !c.archivedAt), ...criteria.filter((c) => c.archivedAt)];
}

export function localizeCriterion(criterion: AdmissionCriterion, locale: Locale): CriterionForForm {
  return {
    id: criterion.id,
    kind: criterion.kind,
    required: criterion.required,
    title: locale === "ru" ? criterion.titleRu : criterion.titleEn,
    description: locale === "ru" ? criterion.descriptionRu : criterion.descriptionEn,
    options: locale === "ru" ? criterion.optionsRu : criterion.optionsEn,
  };
}

function criterionData(input: CriterionInput) {
  const choice = input.kind === "CHOICE";
  return {
    titleEn: input.titleEn,
    titleRu: input.titleRu,
    descriptionEn: input.descriptionEn ?? "",
    descriptionRu: input.descriptionRu ?? "",
    kind: input.kind,
    optionsEn: choice ? optionLines(input.optionsEn) : [],
    optionsRu: choice ? optionLines(input.optionsRu) : [],
    required: input.required,
  };
}

/** What the audit log keeps of a criterion: its settings, as the owner typed them. */
function audited(criterion: Pick<AdmissionCriterion, "titleEn" | "titleRu" | "kind" | "required" | "optionsEn" | "optionsRu" | "position">) {
  const { titleEn, titleRu, kind, required, optionsEn, optionsRu, position } = criterion;
  return { titleEn, titleRu, kind, required, optionsEn, optionsRu, position };
}

export async function createCriterion(input: CriterionInput, actorId: string) {
  return db.$transaction(async (tx) => {
    const last = await tx.admissionCriterion.aggregate({ _max: { position: true } });
    const criterion = await tx.admissionCriterion.create({ data: { ...criterionData(input), position: (last._max.position ?? 0) + 1 } });
    await recordAudit(tx, { actorId, action: "criteria.update", subjectType: "AdmissionCriterion", subjectId: criterion.id, after: { change: "create", ...audited(criterion) } });
    return criterion;
  });
}

export type CriterionUpdate = { ok: true } | { ok: false; field: "kind" | "optionsEn"; message: string } | { ok: false; notFound: true };

/**
 * Edits a criterion. Once applications have answered it, its kind is fixed and its
 * options can be renamed or added to but not removed, so every stored answer (the
 * option's index) keeps its meaning.
 */
export async function updateCriterion(id: string, input: CriterionInput, actorId: string): Promise<CriterionUpdate> {
  return db.$transaction(async (tx) => {
    const existing = await tx.admissionCriterion.findUnique({ where: { id }, include: { _count: { select: { answers: true } } } });
    if (!existing) return { ok: false, notFound: true } as const;
    const data = criterionData(input);
    if (existing._count.answers > 0) {
      if (existing.kind !== data.kind) return { ok: false, field: "kind", message: "admission.criteria.kindLocked" } as const;
      if (data.kind === "CHOICE" && data.optionsEn.length < existing.optionsEn.length) {
        return { ok: false, field: "optionsEn", message: "admission.criteria.optionsLocked" } as const;
      }
    }
    const updated = await tx.admissionCriterion.update({ where: { id }, data });
    await recordAudit(tx, {
      actorId,
      action: "criteria.update",
      subjectType: "AdmissionCriterion",
      subjectId: id,
      before: audited(existing),
      after: { change: "update", ...audited(updated) },
    });
    return { ok: true } as const;
  });
}

/** Swaps a criterion with its neighbour on the form. */
export async function moveCriterion(id: string, direction: "up" | "down", actorId: string) {
  await db.$transaction(async (tx) => {
    const criteria = await tx.admissionCriterion.findMany({
      where: { archivedAt: null },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    });
    const index = criteria.findIndex((c) => c.id === id);
    const other = index < 0 ? -1 : direction === "up" ? index - 1 : index + 1;
    if (index < 0 || other < 0 || other >= criteria.length) return;
    const reordered = [...criteria];
    [reordered[index], reordered[other]] = [reordered[other], reordered[index]];
    // Renumbering all of them also repairs ties left by earlier edits.
    for (const [position, criterion] of reordered.entries()) {
      if (criterion.position !== position + 1) {
        await tx.admissionCriterion.update({ where: { id: criterion.id }, data: { position: position + 1 } });
      }
    }
    await recordAudit(tx, {
      actorId,
      action: "criteria.update",
      subjectType: "AdmissionCriterion",
      subjectId: id,
      before: { position: index + 1 },
      after: { change: "move", direction, position: other + 1 },
    });
  });
}

/** Takes a criterion off the form: deleted when nothing refers to it, archived otherwise. */
export async function removeCriterion(id: string, actorId: string): Promise<"deleted" | "archived" | "missing"> {
  return db.$transaction(async (tx) => {
    const criterion = await tx.admissionCriterion.findUnique({
      where: { id },
      include: { _count: { select: { answers: true, scores: true } } },
    });
    if (!criterion) return "missing";
    const outcome = criterion._count.answers === 0 && criterion._count.scores === 0 ? "deleted" : "archived";
    if (outcome === "deleted") await tx.admissionCriterion.delete({ where: { id } });
    else await tx.admissionCriterion.update({ where: { id }, data: { archivedAt: new Date() } });
    await recordAudit(tx, { actorId, action: "criteria.update", subjectType: "AdmissionCriterion", subjectId: id, before: audited(criterion), after: { change: outcome } });
    return outcome;
  });
}

export async function restoreCriterion(id: string, actorId: string) {
  await db.$transaction(async (tx) => {
    const last = await tx.admissionCriterion.aggregate({ where: { archivedAt: null }, _max: { position: true } });
    const position = (last._max.position ?? 0) + 1;
    const { count } = await tx.admissionCriterion.updateMany({ where: { id, archivedAt: { not: null } }, data: { archivedAt: null, position } });
    if (count) {
      await recordAudit(tx, { actorId, action: "criteria.update", subjectType: "AdmissionCriterion", subjectId: id, before: { archived: true }, after: { change: "restore", archived: false, position } });
    }
  });
}
