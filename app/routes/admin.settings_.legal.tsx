import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useFormats } from "~/admission/components";
import { badRequest, readForm, requireRole } from "~/auth/guards.server";
import { LEGAL_BODY_MAX, LEGAL_KINDS, LEGAL_PATHS, PublishLegalSchema, type LegalKind } from "~/club/legal-form";
import { legalAdminPage, publishLegalDocument } from "~/club/legal.server";
import { metaTranslator, useT } from "~/i18n/i18n";
import { FORM_VALIDATION, FormErrors, TextAreaField } from "~/ui/form";

// Its own boundary, so that an error thrown by the action is still shown in the layout and
// the reader's language: the root's loader does not run when the root itself catches it.
export { ErrorPage as ErrorBoundary } from "~/ui/error-page";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches).t("club.legal.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "OWNER");
  return { documents: await legalAdminPage() };
}

type ActionResult = { kind: LegalKind; result: SubmissionResult<string[]>; published: number | null };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireRole(request, "OWNER");
  const formData = await readForm(request);
  const kind = formData.get("kind");
  if (!LEGAL_KINDS.includes(kind as LegalKind)) throw badRequest();
  const submission = parseWithZod(formData, { schema: PublishLegalSchema });
  if (submission.status !== "success") {
    return data<ActionResult>({ kind: kind as LegalKind, result: submission.reply(), published: null }, { status: 400 });
  }
  const published = await publishLegalDocument(user.id, submission.value);
  if (!published.ok) {
    return data<ActionResult>({ kind: submission.value.kind, result: submission.reply({ formErrors: ["club.legal.race"] }), published: null }, { status: 409 });
  }
  return data<ActionResult>({ kind: submission.value.kind, result: submission.reply(), published: published.version });
}

type LegalDocumentsPage = Awaited<ReturnType<typeof loader>>["documents"][number];

function PublishForm({ doc }: { doc: LegalDocumentsPage }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const f = useFormats();
  const mine = actionData?.kind === doc.kind ? actionData : undefined;
  const latest = doc.versions[0];
  const next = (latest?.version ?? 0) + 1;
  const [form, fields] = useForm({
    // A new id once a version is out, so the form starts again from the text now current.
    id: `publish-${doc.kind}-${next}`,
    lastResult: mine?.published ? undefined : mine?.result,
    defaultValue: { kind: doc.kind, bodyEn: doc.current?.bodyEn ?? "", bodyRu: doc.current?.bodyRu ?? "" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: PublishLegalSchema }),
    ...FORM_VALIDATION,
  });
  const headingId = `legal-${doc.kind}`;
  const bodyHelp = t("club.legal.bodyHelp", { max: LEGAL_BODY_MAX });
  return (
    <section className="card space-y-4" aria-labelledby={headingId}>
      <h2 id={headingId}>{t(`club.legal.kind.${doc.kind}`)}</h2>
      <p className="text-slate-800">
        {latest
          ? latest.publishedBy
            ? t("club.legal.current", { version: latest.version, date: f.dateTime(latest.publishedAt), name: latest.publishedBy })
            : t("club.legal.currentNobody", { version: latest.version, date: f.dateTime(latest.publishedAt) })
          : t("club.legal.none")}
      </p>
      {mine?.published ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-green-900">
          {t("club.legal.published", { version: mine.published })}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-2">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="kind" value={doc.kind} />
        <TextAreaField field={fields.bodyEn} label={t("club.legal.bodyEn")} rows={12} help={bodyHelp} />
        <TextAreaField field={fields.bodyRu} label={t("club.legal.bodyRu")} rows={12} help={bodyHelp} />
        <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("club.legal.publish", { version: next })}
        </button>
      </Form>
      {doc.versions.length ? (
        <div className="overflow-x-auto">
          <table className="table">
            <caption className="text-left font-semibold">{t("club.legal.history")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("club.legal.version")}</th>
                <th scope="col">{t("club.legal.publishedAt")}</th>
                <th scope="col">{t("club.legal.publishedBy")}</th>
              </tr>
            </thead>
            <tbody>
              {doc.versions.map((version) => (
                <tr key={version.id}>
                  <th scope="row">
                    <Link to={`${LEGAL_PATHS[doc.kind]}?version=${version.version}`} aria-label={t("club.legal.view", { version: version.version })}>
                      {version.version}
                    </Link>
                  </th>
                  <td>{f.dateTime(version.publishedAt)}</td>
                  <td>{version.publishedBy ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export default function LegalTexts() {
  const { documents } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="max-w-4xl space-y-6">
      <p className="flex gap-4 text-sm">
        <Link to="/admin">{t("admin.title")}</Link>
        <Link to="/admin/settings">{t("club.legal.settingsLink")}</Link>
      </p>
      <h1>{t("club.legal.title")}</h1>
      <p className="text-slate-700">{t("club.legal.intro")}</p>
      {documents.map((doc) => (
        <PublishForm key={`${doc.kind}-${doc.versions[0]?.version ?? 0}`} doc={doc} />
      ))}
    </div>
  );
}
