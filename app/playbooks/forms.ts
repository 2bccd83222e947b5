import { z } from "zod";
import type { PlaybookExit, PlaybookStepKind, PlaybookTrigger } from "~/generated/prisma/enums";
import { unknownPlaceholder as unknownIn } from "~/i18n/placeholders";
import { requiredText } from "~/ui/visible-text";

/**
 * The owner's forms on /admin/playbooks: a follow-up template and a playbook. The same schemas
 * validate in the browser and in the actions. What needs the database (a SEND step's template
 * is for the playbook's reason, the segment exists) is checked by the action
 * (app/playbooks/editor.server.ts) and reported at the same fields.
 */

export const TRIGGERS = [
  "BECAME_DETRACTOR",
  "INACTIVE",
  "JOINED",
  "PAYMENT_FAILED",
  "CANCELLATION_SCHEDULED",
  "APPLICATION_WAITLISTED",
] as const satisfies ReadonlyArray<PlaybookTrigger>;

/** The triggers that take a number of days ("no activity for N days", "joined N days ago"). */
export const TRIGGERS_WITH_DAYS = ["INACTIVE", "JOINED"] as const satisfies ReadonlyArray<PlaybookTrigger>;

export const STEP_KINDS = ["WAIT", "SEND", "TASK"] as const satisfies ReadonlyArray<PlaybookStepKind>;

export const EXIT_REASONS = ["CAME_BACK", "ANSWERED_SURVEY", "PAID", "CLOSED_BY_STAFF", "COMPLETED", "LEFT"] as const satisfies ReadonlyArray<PlaybookExit>;

export function takesDays(trigger: string): boolean {
  return (TRIGGERS_WITH_DAYS as readonly string[]).includes(trigger);
}

export const TEMPLATE_NAME_MAX = 120;
export const SUBJECT_MAX = 150;
export const BODY_MAX = 4000;
export const PLAYBOOK_NAME_MAX = 120;
export const TASK_NOTE_MAX = 500;
export const MAX_STEPS = 10;
export const TRIGGER_DAYS = { min: 1, max: 365 } as const;
export const WAIT_DAYS = { min: 1, max: 90 } as const;
export const HOLD_OUT = { min: 0, max: 50 } as const;

/** What a template may say in braces; the scheduler fills them in when it sends. */
export const PLACEHOLDERS = ["name", "tier", "club"] as const;

/** The first placeholder in the text that is not one of PLACEHOLDERS ("{nmae}"), or null. */
export function unknownPlaceholder(text: string): string | null {
  const inside = unknownIn(text, PLACEHOLDERS);
  return inside === null ? null : `{${inside}}`;
}

const templateText = (max: number) =>
  requiredText(max).superRefine((text, ctx) => {
    const unknown = unknownPlaceholder(text);
    if (unknown) ctx.addIssue({ code: "custom", message: `playbooks.template.unknownPlaceholder|${JSON.stringify({ placeholder: unknown })}` });
  });

const trigger = z.enum(TRIGGERS, { error: "playbooks.form.triggerInvalid" });

export const templateSchema = z.object({
  name: requiredText(TEMPLATE_NAME_MAX),
  reason: trigger,
  subjectEn: templateText(SUBJECT_MAX),
  bodyEn: templateText(BODY_MAX),
  subjectRu: templateText(SUBJECT_MAX),
  bodyRu: templateText(BODY_MAX),
});

export type TemplateInput = z.infer<typeof templateSchema>;

const wholeNumber = ({ min, max }: { min: number; max: number }) =>
  z
    .number({ error: "playbooks.form.wholeNumber" })
    .int("playbooks.form.wholeNumber")
    .min(min, `playbooks.form.between|{"min":${min},"max":${max}}`)
    .max(max, `playbooks.form.between|{"min":${min},"max":${max}}`);

/**
 * One step. The kind is fixed when the step is added (one button per kind), so the form shows
 * only the field the kind needs, also without JavaScript; the others are ignored.
 */
const stepSchema = z
  .object({
    kind: z.enum(STEP_KINDS, { error: "playbooks.step.kindInvalid" }),
    days: z.number({ error: "playbooks.form.wholeNumber" }).optional(),
    templateId: z.string().trim().max(60).optional(),
    note: z.string().trim().max(TASK_NOTE_MAX, `form.tooLong|{"max":${TASK_NOTE_MAX}}`).optional(),
  })
  .superRefine((step, ctx) => {
    if (step.kind === "WAIT") {
      const days = wholeNumber(WAIT_DAYS).safeParse(step.days);
      if (step.days === undefined) ctx.addIssue({ code: "custom", path: ["days"], message: "form.required" });
      else if (!days.success) ctx.addIssue({ code: "custom", path: ["days"], message: days.error.issues[0].message });
    }
    if (step.kind === "SEND" && !step.templateId) ctx.addIssue({ code: "custom", path: ["templateId"], message: "playbooks.step.templateRequired" });
    if (step.kind === "TASK" && !requiredText(TASK_NOTE_MAX).safeParse(step.note ?? "").success)
      ctx.addIssue({ code: "custom", path: ["note"], message: "form.required" });
  })
  .transform((step) =>
    step.kind === "WAIT"
      ? { kind: "WAIT" as const, days: step.days!, templateId: null, note: null }
      : step.kind === "SEND"
        ? { kind: "SEND" as const, days: null, templateId: step.templateId!, note: null }
        : { kind: "TASK" as const, days: null, templateId: null, note: step.note! },
  );

export const playbookSchema = z
  .object({
    name: requiredText(PLAYBOOK_NAME_MAX),
    trigger,
    triggerDays: z.number({ error: "playbooks.form.wholeNumber" }).optional(),
    segmentId: z.string().trim().max(60).optional(),
    holdOutPercent: wholeNumber(HOLD_OUT).optional(),
    exitOnReturn: z.boolean().optional(),
    exitOnSurvey: z.boolean().optional(),
    exitOnPayment: z.boolean().optional(),
    steps: z.array(stepSchema).max(MAX_STEPS, `playbooks.step.tooMany|{"max":${MAX_STEPS}}`).optional(),
    /** "yes" once the owner saw how many members would enter at once (an every-member audience). */
    confirm: z.literal("yes").optional(),
  })
  .superRefine((playbook, ctx) => {
    if (takesDays(playbook.trigger)) {
      if (playbook.triggerDays === undefined) ctx.addIssue({ code: "custom", path: ["triggerDays"], message: "form.required" });
      else {
        const days = wholeNumber(TRIGGER_DAYS).safeParse(playbook.triggerDays);
        if (!days.success) ctx.addIssue({ code: "custom", path: ["triggerDays"], message: days.error.issues[0].message });
      }
    } else if (playbook.triggerDays !== undefined) {
      ctx.addIssue({ code: "custom", path: ["triggerDays"], message: "playbooks.form.noDaysForTrigger" });
    }
    if (!(playbook.steps ?? []).some((step) => step.kind === "SEND" || step.kind === "TASK"))
      ctx.addIssue({ code: "custom", path: ["steps"], message: "playbooks.step.needsAction" });
  })
  .transform((playbook) => ({
    name: playbook.name,
    trigger: playbook.trigger,
    triggerDays: takesDays(playbook.trigger) ? playbook.triggerDays! : null,
    segmentId: playbook.segmentId || null,
    holdOutPercent: playbook.holdOutPercent ?? 0,
    exitOnReturn: playbook.exitOnReturn ?? false,
    exitOnSurvey: playbook.exitOnSurvey ?? false,
    exitOnPayment: playbook.exitOnPayment ?? false,
    steps: playbook.steps ?? [],
    confirmed: playbook.confirm === "yes",
  }));

export type PlaybookInput = z.infer<typeof playbookSchema>;
export type StepInput = PlaybookInput["steps"][number];

/** The form's fields for a stored step. */
export function stepFormValue(step: { kind: string; days: number | null; templateId: string | null; taskNote: string | null }) {
  return { kind: step.kind, days: step.days === null ? undefined : String(step.days), templateId: step.templateId ?? undefined, note: step.taskNote ?? undefined };
}
