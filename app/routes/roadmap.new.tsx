import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { isStaff, readForm, requireMember } from "~/auth/guards.server";
import { consumeRateLimit } from "~/auth/rate-limit.server";
import { translator } from "~/i18n/dictionary";
import { metaTranslator, useT } from "~/i18n/i18n";
import { ItemSchema, SuggestionSchema } from "~/roadmap/forms";
import { createItem, suggestItem } from "~/roadmap/items.server";
import { ItemFields, type ItemFormValue } from "~/roadmap/item-form";
import { FORM_VALIDATION, FormErrors } from "~/ui/form";

// Refusals render inside the layout, in the reader's language (docs/architecture.md, "Requests").
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data?.pageTitle ?? metaTranslator(matches).t("roadmap.title") }];

const SUGGESTION_LIMIT = { bucket: "roadmap-suggestion", limit: 10, windowMs: 60 * 60 * 1000 };

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, "roadmap.noMembership");
  const staff = isStaff(viewer.user);
  const t = translator(viewer.user.locale);
  return { staff, pageTitle: staff ? t("roadmap.new.staffTitle") : t("roadmap.new.suggestTitle") };
}

/** Curators and owners create items in any status; members suggest, and suggestions start under review. */
export async function action({ request }: ActionFunctionArgs) {
  const viewer = await requireMember(request, "roadmap.noMembership");
  const formData = await readForm(request);
  if (isStaff(viewer.user)) {
    const submission = parseWithZod(formData, { schema: ItemSchema });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const item = await createItem(submission.value, viewer.user.id);
    return redirect(`/roadmap/${item.id}`);
  }
  const submission = parseWithZod(formData, { schema: SuggestionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limited = await consumeRateLimit(SUGGESTION_LIMIT, [viewer.user.id]);
  if (limited.limited) return data(submission.reply({ formErrors: ["roadmap.rateLimited"] }), { status: 429 });
  const item = await suggestItem(submission.value, viewer.user.id);
  return redirect(`/roadmap/${item.id}`);
}

export default function NewRoadmapItem() {
  const { staff } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [form, fields] = useForm<ItemFormValue>({
    lastResult,
    defaultValue: { status: "UNDER_REVIEW" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: staff ? ItemSchema : SuggestionSchema }),
    ...FORM_VALIDATION,
  });
  return (
    <div className="mx-auto max-w-2xl space-y-6 wrap-anywhere">
      <p>
        <Link to="/roadmap">{t("roadmap.back")}</Link>
      </p>
      <h1>{staff ? t("roadmap.new.staffTitle") : t("roadmap.new.suggestTitle")}</h1>
      <p className="text-slate-700">{staff ? t("roadmap.new.staffIntro") : t("roadmap.new.suggestIntro")}</p>
      <Form method="post" {...getFormProps(form)} className="card">
        <FormErrors id={form.errorId} errors={form.errors} />
        <ItemFields fields={fields} staff={staff} />
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {staff ? t("roadmap.new.staffSubmit") : t("roadmap.new.suggestSubmit")}
        </button>
      </Form>
    </div>
  );
}
