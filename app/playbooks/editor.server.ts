import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { recordAudit } from "~/audit/audit.server";
import { db, type Tx } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { PlaybookExit, PlaybookStepKind, PlaybookTrigger } from "~/generated/prisma/enums";
import { playbookSchema, stepFormValue, takesDays, type PlaybookInput, type StepInput, type TemplateInput } from "./forms";
import { playbookOutcomes, type PlaybookOutcome } from "./outcomes.server";
import { closeRun } from "./scheduler.server";
import { firedSql, playbookForTrigger } from "./triggers.server";

/**
 * What the owner sees and edits on /admin/playbooks: playbooks (versioned steps), their
 * templates, pausing, and closing one member's run. The scheduler that runs them is
 * app/playbooks/scheduler.server.ts. Every change is audited in its own transaction, with ids
 * and settings only.
 */

/** Field errors in Conform's shape ("steps[1].templateId"), for `submission.reply({ fieldErrors })`. */
export type FieldErrors = Record<string, string[]>;

export type PlaybookListRow = {
  id: string;
  name: string;
  trigger: PlaybookTrigger;
  triggerDays: number | null;
  segmentId: string | null;
  segmentName: string | null;
  holdOutPercent: number;
  pausedAt: string | null;
  outcome: PlaybookOutcome | null;
};

/** Every playbook with its segment's name and figures (one call for the figures of all). */
export async function listPlaybooks(now = new Date()): Promise<PlaybookListRow[]> {
  const [playbooks, segments, outcomes] = await Promise.all([
    db.playbook.findMany({ orderBy: [{ pausedAt: { sort: "asc", nulls: "first" } }, { name: "asc" }] }),
    db.segment.findMany({ select: { id: true, name: true } }),
    playbookOutcomes({ now }),
  ]);
  const segmentName = new Map(segments.map((s) => [s.id, s.name]));
  return playbooks.map((p) => ({
    id: p.id,
    name: p.name,
    trigger: p.trigger,
    triggerDays: p.triggerDays,
    segmentId: p.segmentId,
    segmentName: p.segmentId ? (segmentName.get(p.segmentId) ?? null) : null,
    holdOutPercent: p.holdOutPercent,
    pausedAt: p.pausedAt?.toISOString() ?? null,
    outcome: outcomes.find((o) => o.playbookId === p.id) ?? null,
  }));
}

/** A playbook with the steps of its current version, or null. */
export async function readPlaybook(id: string) {
  const playbook = await db.playbook.findUnique({ where: { id } });
  if (!playbook) return null;
  const steps = await db.playbookStep.findMany({ where: { playbookId: id, version: playbook.version }, orderBy: { position: "asc" } });
  return { ...playbook, steps };
}

/** What the playbook form picks from: segments and the templates not archived, by reason. */
export async function editorChoices() {
  const [segments, templates] = await Promise.all([
    db.segment.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.followUpTemplate.findMany({ where: { archivedAt: null }, select: { id: true, name: true, reason: true }, orderBy: [{ reason: "asc" }, { name: "asc" }] }),
  ]);
  return { segments, templates };
}

/**
 * What the form cannot check: the segment exists, and each SEND step's template exists, is not
 * archived and is for the playbook's reason (a detractor is never sent "we miss you").
 */
async function checkReferences(tx: Tx, input: PlaybookInput): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.segmentId && !(await tx.segment.findUnique({ where: { id: input.segmentId }, select: { id: true } })))
    errors.segmentId = ["playbooks.form.segmentUnknown"];
  const ids = [...new Set(input.steps.flatMap((s) => (s.templateId ? [s.templateId] : [])))];
  const templates = new Map((await tx.followUpTemplate.findMany({ where: { id: { in: ids } } })).map((t) => [t.id, t]));
  input.steps.forEach((step, index) => {
    if (step.kind !== "SEND") return;
    const template = templates.get(step.templateId!);
    if (!template || template.archivedAt) errors[`steps[${index}].templateId`] = ["playbooks.step.templateUnknown"];
    else if (template.reason !== input.trigger) errors[`steps[${index}].templateId`] = ["playbooks.step.wrongReason"];
  });
  return errors;
}

/** Whether the audience is the whole club at once: no segment, and a trigger every member can meet now. */
export function needsAudienceConfirmation(input: Pick<PlaybookInput, "segmentId" | "trigger">): boolean {
  return !input.segmentId && takesDays(input.trigger);
}

/**
 * How many members would enter now if the playbook were saved: the scheduler's own query
 * (app/playbooks/triggers.server.ts, firedSql) for a playbook created now, less the
 * occurrences an existing playbook (`id`) already has runs for.
 */
export async function membersEnteringNow(input: Pick<PlaybookInput, "trigger" | "triggerDays">, id: string | null, now = new Date()): Promise<number> {
  const playbook = await playbookForTrigger({ id: id ?? "", trigger: input.trigger, triggerDays: input.triggerDays, createdAt: now, segmentId: null });
  if (!playbook) return 0;
  const [row] = await db.$queryRaw<Array<{ n: number }>>(Prisma.sql`SELECT count(*)::int AS n FROM (${firedSql(playbook, now)}) f`);
  return row?.n ?? 0;
}

function settings(p: {
  name?: string;
  trigger: PlaybookTrigger;
  triggerDays: number | null;
  segmentId: string | null;
  holdOutPercent: number;
  exitOnReturn: boolean;
  exitOnSurvey: boolean;
  exitOnPayment: boolean;
}) {
  return {
    trigger: p.trigger,
    triggerDays: p.triggerDays,
    segmentId: p.segmentId,
    holdOutPercent: p.holdOutPercent,
    exitOnReturn: p.exitOnReturn,
    exitOnSurvey: p.exitOnSurvey,
    exitOnPayment: p.exitOnPayment,
  };
}

type StoredStep = { kind: PlaybookStepKind; days: number | null; templateId: string | null; taskNote: string | null };

function stepsOf(steps: StepInput[]): StoredStep[] {
  return steps.map((s) => ({ kind: s.kind, days: s.days, templateId: s.templateId, taskNote: s.note }));
}

function sameSteps(a: StoredStep[], b: StoredStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s.kind === b[i].kind && s.days === b[i].days && s.templateId === b[i].templateId && s.taskNote === b[i].taskNote);
}

/** Steps as the audit row keeps them: kinds, days and template ids (a task's note is the owner's text, left out). */
function auditSteps(steps: StoredStep[]) {
  return steps.map((s) => ({ kind: s.kind, days: s.days, templateId: s.templateId }));
}

export type SavePlaybookResult =
  | { status: "saved"; id: string; version: number; newVersion: boolean }
  | { status: "invalid"; fieldErrors: FieldErrors }
  | { status: "confirm"; members: number }
  | { status: "missing" };

/**
 * Creates a playbook (`id` null) or updates one. Changed steps are written as version + 1 and
 * the playbook's version moves to it, in the same transaction: runs keep the version they
 * entered with, so a change applies to new runs. An every-member audience is saved only once
 * the owner confirmed it (`input.confirmed`), having seen how many would enter now.
 */
export async function savePlaybook(actorId: string, id: string | null, input: PlaybookInput, now = new Date()): Promise<SavePlaybookResult> {
  if (needsAudienceConfirmation(input) && !input.confirmed) {
    const errors = await db.$transaction((tx) => checkReferences(tx, input));
    if (Object.keys(errors).length) return { status: "invalid", fieldErrors: errors };
    const existing = id ? await db.playbook.findUnique({ where: { id } }) : null;
    // Saving an audience the owner already confirmed asks again only when it widens.
    const unchanged = existing && !existing.segmentId && existing.trigger === input.trigger && existing.triggerDays === input.triggerDays;
    if (!unchanged) return { status: "confirm", members: await membersEnteringNow(input, id, now) };
  }
  const wanted = stepsOf(input.steps);
  return db.$transaction(async (tx): Promise<SavePlaybookResult> => {
    // Templates are checked under a share lock: archiving one (which locks it for update)
    // waits for this save, then sees its steps and refuses.
    const templateIds = [...new Set(wanted.flatMap((s) => (s.templateId ? [s.templateId] : [])))];
    if (templateIds.length) await tx.$queryRaw(Prisma.sql`SELECT id FROM "FollowUpTemplate" WHERE id = ANY(${templateIds}::text[]) FOR SHARE`);
    const errors = await checkReferences(tx, input);
    if (Object.keys(errors).length) return { status: "invalid", fieldErrors: errors };
    if (!id) {
      const created = await tx.playbook.create({
        data: { name: input.name, ...settings(input), version: 1, createdById: actorId, steps: { create: wanted.map((s, position) => ({ ...s, version: 1, position })) } },
      });
      await recordAudit(tx, { actorId, action: "playbook.save", subjectType: "Playbook", subjectId: created.id, after: { ...settings(input), version: 1, steps: auditSteps(wanted) } });
      return { status: "saved", id: created.id, version: 1, newVersion: true };
    }
    // The row lock makes two owners saving at once write versions one after the other.
    const locked = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`SELECT id FROM "Playbook" WHERE id = ${id} FOR UPDATE`);
    if (!locked.length) return { status: "missing" };
    const before = (await tx.playbook.findUnique({ where: { id } }))!;
    const current = await tx.playbookStep.findMany({ where: { playbookId: id, version: before.version }, orderBy: { position: "asc" } });
    const stored = current.map((s) => ({ kind: s.kind, days: s.days, templateId: s.templateId, taskNote: s.taskNote }));
    const newVersion = !sameSteps(stored, wanted);
    const version = newVersion ? before.version + 1 : before.version;
    if (newVersion) await tx.playbookStep.createMany({ data: wanted.map((s, position) => ({ ...s, playbookId: id, version, position })) });
    await tx.playbook.update({ where: { id }, data: { name: input.name, ...settings(input), version } });
    await recordAudit(tx, {
      actorId,
      action: "playbook.save",
      subjectType: "Playbook",
      subjectId: id,
      before: { ...settings(before), version: before.version, ...(newVersion ? { steps: auditSteps(stored) } : {}) },
      after: { ...settings(input), version, ...(newVersion ? { steps: auditSteps(wanted) } : {}) },
    });
    return { status: "saved", id, version, newVersion };
  });
}

/** Pauses (no new runs, no steps) or resumes a playbook; false when it does not exist or was already so. */
export async function setPlaybookPaused(actorId: string, id: string, paused: boolean, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const changed = await tx.playbook.updateMany({ where: { id, pausedAt: paused ? null : { not: null } }, data: { pausedAt: paused ? now : null } });
    if (!changed.count) return false;
    await recordAudit(tx, {
      actorId,
      action: paused ? "playbook.pause" : "playbook.resume",
      subjectType: "Playbook",
      subjectId: id,
      before: { paused: !paused },
      after: { paused },
    });
    return true;
  });
}

/**
 * Staff end one member's run: no further step is done (closeRun of the scheduler, audited).
 * A run that ended meanwhile, or a second click, changes nothing and returns false.
 */
export async function closePlaybookRun(actorId: string, playbookId: string, runId: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const run = await tx.playbookRun.findFirst({ where: { id: runId, playbookId }, select: { id: true } });
    return run ? closeRun(tx, runId, actorId, now) : false;
  });
}

export type RunRow = {
  id: string;
  userId: string | null;
  applicationId: string | null;
  memberName: string | null;
  enteredAt: string;
  heldOut: boolean;
  nextStep: number;
  steps: number;
  exitedAt: string | null;
  exitReason: PlaybookExit | null;
};

/** The latest runs of a playbook (newest first), with the member's name and the length of their version. */
export async function latestRuns(playbookId: string, limit = 50): Promise<RunRow[]> {
  const rows = await db.$queryRaw<Array<Omit<RunRow, "enteredAt" | "exitedAt"> & { enteredAt: Date; exitedAt: Date | null }>>(Prisma.sql`
    SELECT r.id, r."userId", r."applicationId", coalesce(u.name, a.name) AS "memberName", r."enteredAt", r."heldOut", r."nextStep",
      (SELECT count(*)::int FROM "PlaybookStep" s WHERE s."playbookId" = r."playbookId" AND s.version = r.version) AS steps,
      r."exitedAt", r."exitReason"::text AS "exitReason"
    FROM "PlaybookRun" r
    LEFT JOIN "User" u ON u.id = r."userId"
    LEFT JOIN "Application" a ON a.id = r."applicationId"
    WHERE r."playbookId" = ${playbookId}
    ORDER BY r."enteredAt" DESC, r.id DESC
    LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, enteredAt: r.enteredAt.toISOString(), exitedAt: r.exitedAt?.toISOString() ?? null }));
}

// ---- Templates ----

/** Templates not archived, by reason then name. */
export async function listTemplates() {
  return db.followUpTemplate.findMany({ where: { archivedAt: null }, orderBy: [{ reason: "asc" }, { name: "asc" }] });
}

export async function readTemplate(id: string) {
  return db.followUpTemplate.findFirst({ where: { id, archivedAt: null } });
}

/** The playbooks whose current version sends the template (the steps of older versions stay for their runs). */
async function playbooksUsing(tx: Tx, templateId: string): Promise<Array<{ id: string; name: string }>> {
  return tx.$queryRaw<Array<{ id: string; name: string }>>(Prisma.sql`
    SELECT DISTINCT p.id, p.name
    FROM "PlaybookStep" s JOIN "Playbook" p ON p.id = s."playbookId" AND p.version = s.version
    WHERE s."templateId" = ${templateId}
    ORDER BY p.name`);
}

export type SaveTemplateResult = { status: "saved"; id: string } | { status: "invalid"; fieldErrors: FieldErrors } | { status: "missing" };

/**
 * Creates or updates a template. Its reason cannot change while a playbook's current version
 * sends it: that playbook's trigger would no longer match what the message says.
 */
export async function saveTemplate(actorId: string, id: string | null, input: TemplateInput): Promise<SaveTemplateResult> {
  return db.$transaction(async (tx) => {
    if (!id) {
      const created = await tx.followUpTemplate.create({ data: { ...input, createdById: actorId } });
      await recordAudit(tx, { actorId, action: "template.save", subjectType: "FollowUpTemplate", subjectId: created.id, after: { reason: input.reason } });
      return { status: "saved" as const, id: created.id };
    }
    const before = await tx.followUpTemplate.findFirst({ where: { id, archivedAt: null } });
    if (!before) return { status: "missing" as const };
    if (before.reason !== input.reason) {
      const users = await playbooksUsing(tx, id);
      if (users.length)
        return { status: "invalid" as const, fieldErrors: { reason: [`playbooks.template.reasonInUse|${JSON.stringify({ playbooks: users.map((p) => p.name).join(", ") })}`] } };
    }
    await tx.followUpTemplate.update({ where: { id }, data: input });
    const changed = (["name", "subjectEn", "bodyEn", "subjectRu", "bodyRu"] as const).filter((key) => before[key] !== input[key]);
    await recordAudit(tx, { actorId, action: "template.save", subjectType: "FollowUpTemplate", subjectId: id, before: { reason: before.reason }, after: { reason: input.reason, changed } });
    return { status: "saved" as const, id };
  });
}

export type ArchiveTemplateResult = { status: "archived" } | { status: "inUse"; playbooks: string[] } | { status: "missing" };

/** Archives ("deletes") a template, unless a playbook's current version sends it: then the playbooks are named. */
export async function archiveTemplate(actorId: string, id: string, now = new Date()): Promise<ArchiveTemplateResult> {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>(Prisma.sql`SELECT id FROM "FollowUpTemplate" WHERE id = ${id} AND "archivedAt" IS NULL FOR UPDATE`);
    if (!locked.length) return { status: "missing" as const };
    const users = await playbooksUsing(tx, id);
    if (users.length) return { status: "inUse" as const, playbooks: users.map((p) => p.name) };
    await tx.followUpTemplate.update({ where: { id }, data: { archivedAt: now } });
    await recordAudit(tx, { actorId, action: "template.archive", subjectType: "FollowUpTemplate", subjectId: id, after: { archived: true } });
    return { status: "archived" as const };
  });
}

export type PlaybookSubmission = {
  result: SubmissionResult<string[]>;
  /** How many members would enter now, when the owner must confirm an every-member audience. */
  confirm: number | null;
  saved: { id: string; version: number; newVersion: boolean } | null;
  status: number;
};

/**
 * The playbook form's submission (new or `id`), for both routes: Conform's list intents (add or
 * remove a step) come back with the changed list; bad input and what the database refuses
 * (a template for another reason, at its step's field) come back at the fields.
 */
export async function submitPlaybook(actorId: string, id: string | null, form: FormData): Promise<PlaybookSubmission> {
  const submission = parseWithZod(form, { schema: playbookSchema });
  if (submission.status !== "success") return { result: submission.reply(), confirm: null, saved: null, status: submission.status === "error" ? 400 : 200 };
  const saved = await savePlaybook(actorId, id, submission.value);
  if (saved.status === "missing") throw new Response("Not found", { status: 404 });
  if (saved.status === "invalid") return { result: submission.reply({ fieldErrors: saved.fieldErrors }), confirm: null, saved: null, status: 400 };
  if (saved.status === "confirm") return { result: submission.reply(), confirm: saved.members, saved: null, status: 200 };
  return { result: submission.reply(), confirm: null, saved: { id: saved.id, version: saved.version, newVersion: saved.newVersion }, status: 200 };
}

/** The playbook form's values for a stored playbook. */
export function playbookFormValue(p: NonNullable<Awaited<ReturnType<typeof readPlaybook>>>) {
  return {
    name: p.name,
    trigger: p.trigger,
    triggerDays: p.triggerDays === null ? undefined : String(p.triggerDays),
    segmentId: p.segmentId ?? undefined,
    holdOutPercent: String(p.holdOutPercent),
    exitOnReturn: p.exitOnReturn ? ("on" as const) : undefined,
    exitOnSurvey: p.exitOnSurvey ? ("on" as const) : undefined,
    exitOnPayment: p.exitOnPayment ? ("on" as const) : undefined,
    steps: p.steps.map(stepFormValue),
  };
}
