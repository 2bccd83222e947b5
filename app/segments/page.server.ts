import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import { badRequest, notFound, readForm } from "~/auth/guards.server";
import { filterFromForm, segmentFormSchema, type SegmentFilter } from "./filter";
import { countSegment, deleteSegment, sampleSegment, saveSegment, segmentChoices } from "./segments.server";

/** What the segment form's page needs besides the segment: the choices, and the live figures for a filter. */
export async function segmentFigures(filter: SegmentFilter | null, now = new Date()) {
  const [count, sample] = await Promise.all([countSegment(filter, now), sampleSegment(filter, now)]);
  return { count, sample };
}

/**
 * The action of /admin/segments/new and /admin/segments/:id (owners only; the route checks).
 * `intent=preview` answers the count and sample of the filter in the form without saving;
 * `intent=save` saves and redirects; `intent=delete` deletes, or names the playbooks using it.
 */
export async function submitSegmentForm(request: Request, actorId: string, segmentId?: string) {
  const formData = await readForm(request);
  if (segmentId && formData.get("intent") === "delete") {
    const deleted = await deleteSegment(actorId, segmentId);
    if (deleted.ok) return redirect("/admin/segments?deleted=1");
    if ("notFound" in deleted) throw notFound();
    return data({ result: null, preview: null, inUse: deleted.playbooks }, { status: 409 });
  }
  const intent = formData.get("intent");
  if (intent !== "save" && intent !== "preview") throw badRequest();
  const choices = await segmentChoices();
  const schema = segmentFormSchema({ tierIds: choices.tiers.map((t) => t.id), voucherIds: choices.vouchers.map((v) => v.id) });
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return data({ result: submission.reply(), preview: null, inUse: null }, { status: 400 });
  const filter = filterFromForm(submission.value);
  if (submission.value.intent === "preview") {
    return { result: submission.reply(), preview: { filter, ...(await segmentFigures(filter)) }, inUse: null };
  }
  const saved = await saveSegment(actorId, { name: submission.value.name, filter }, segmentId);
  if (saved.ok) return redirect(`/admin/segments/${saved.id}?saved=1`);
  if ("notFound" in saved) throw notFound();
  return data({ result: submission.reply({ fieldErrors: { name: [saved.message] } }), preview: null, inUse: null }, { status: 400 });
}
