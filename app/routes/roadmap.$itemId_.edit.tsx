import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, readForm, requireStaff } from "~/auth/guards.server";
import { db } from "~/db.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useT } from "~/i18n/i18n";
import { ItemEditSchema } from "~/roadmap/forms";
import { updateItem } from "~/roadmap/items.server";
import { ItemFields, type ItemFormValue } from "~/roadmap/item-form";
import { FORM_VALIDATION, FormErrors } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data?.pageTitle ?? metaTranslator(matches).t("roadmap.title") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireStaff(request);
  const item = await db.roadmapItem.findUnique({
    where: { id: params.itemId ?? "" },
    select: { id: true, title: true, descriptionMd: true, targetQuarter: true, mergedIntoId: true },
  });
  if (!item || item.mergedIntoId) throw notFound();
  return {
    pageTitle: translator(viewer.user.locale)("roadmap.edit.title"),
    item: { id: item.id, title: item.title, description: item.descriptionMd, targetQuarter: item.targetQuarter ?? "" },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requireStaff(request);
  const itemId = params.itemId ?? "";
  const submission = parseWithZod(await readForm(request), { schema: ItemEditSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const updated = await updateItem(itemId, submission.value, user.id);
  if (!updated.ok) throw notFound();
  return redirect(`/roadmap/${itemId}`);
}

export default function EditRoadmapItem() {
  const { item } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<ItemFormValue>({
    lastResult,
    defaultValue: item,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ItemEditSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-2xl space-y-6 wrap-anywhere">
      <p>
        <Link to={`/roadmap/${item.id}`}>{t("roadmap.edit.back")}</Link>
      </p>
      <h1>{t("roadmap.edit.title")}</h1>
      <p className="text-slate-700">{t("roadmap.edit.intro")}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <FormErrors id={form.errorId} errors={form.errors} />
        <ItemFields fields={fields} staff withStatus={false} />
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("roadmap.edit.submit")}
        </button>
      </Form>
    </div>
  );
}
