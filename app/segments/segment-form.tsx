import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { formatDate, useLocale, useT } from "~/i18n/i18n";
import { FieldErrors, FORM_VALIDATION, FormErrors, TextField } from "~/ui/form";
import { memberName, MemberName } from "~/ui/member-name";
import type { TierChoice, VoucherChoice } from "./describe";
import { ANY_VOUCHER, formFromFilter, NPS_GROUPS, SEGMENT_NAME_MAX, segmentFormSchema, type SegmentFilter } from "./filter";

export type SampleMember = {
  id: string;
  name: string;
  tierNameEn: string | null;
  tierNameRu: string | null;
  lastActiveAt: string | null;
  score: number | null;
  npsGroup: (typeof NPS_GROUPS)[number];
};

function RangeFields({ legend, min, max }: { legend: string; min: FieldMetadata<string | undefined>; max: FieldMetadata<string | undefined> }) {
  const t = useT();
  return (
    <fieldset className="field">
      <legend className="label">{legend}</legend>
      <div className="flex flex-wrap gap-4">
        {[
          [min, "segments.form.min"] as const,
          [max, "segments.form.max"] as const,
        ].map(([field, label]) => (
          <div key={field.name}>
            <label htmlFor={field.id} className="block text-sm">
              {t(label)}
            </label>
            <input {...getInputProps(field, { type: "text" })} inputMode="numeric" autoComplete="off" className="input w-28" />
            <FieldErrors id={field.errorId} errors={field.errors} />
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The segment form (owners): the filter's fields, "Preview" (counts without saving) and "Save". Works without JavaScript. */
export function SegmentForm({
  lastResult,
  name,
  filter,
  tiers,
  vouchers,
}: {
  lastResult?: SubmissionResult<string[]> | null;
  name: string;
  filter: SegmentFilter;
  tiers: TierChoice[];
  vouchers: VoucherChoice[];
}) {
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const schema = useMemo(() => segmentFormSchema({ tierIds: tiers.map((x) => x.id), voucherIds: vouchers.map((v) => v.id) }), [tiers, vouchers]);
  const [form, fields] = useForm({
    id: "segment",
    lastResult,
    defaultValue: { name, ...formFromFilter(filter) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    ...FORM_VALIDATION,
  });
  const tierBoxes = getCollectionProps(fields.tierIds, { type: "checkbox", options: tiers.map((x) => x.id) });
  const groupBoxes = getCollectionProps(fields.npsGroups, { type: "checkbox", options: [...NPS_GROUPS] });
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-4">
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField field={fields.name} label={t("segments.form.name")} inputProps={{ maxLength: SEGMENT_NAME_MAX }} />
      <p className="help">{t("segments.form.anyHint")}</p>
      <fieldset className="field" aria-describedby={fields.tierIds.errors ? fields.tierIds.errorId : undefined}>
        <legend className="label">{t("segments.form.tiers")}</legend>
        <div className="flex flex-wrap gap-4">
          {tierBoxes.map((box) => {
            const tier = tiers.find((x) => x.id === box.value)!;
            return (
              <label key={box.key} className="flex items-center gap-2">
                <input {...box} key={box.key} />
                {locale === "ru" ? tier.nameRu : tier.nameEn}
              </label>
            );
          })}
        </div>
        <FieldErrors id={fields.tierIds.errorId} errors={fields.tierIds.errors} />
      </fieldset>
      <RangeFields legend={t("segments.form.tenure")} min={fields.tenureMin} max={fields.tenureMax} />
      <div className="field">
        <label htmlFor={fields.locale.id} className="label">
          {t("segments.form.locale")}
        </label>
        <select {...getSelectProps(fields.locale)} key={fields.locale.key} className="input">
          <option value="">{t("segments.form.any")}</option>
          <option value="en">{t("segments.language.en")}</option>
          <option value="ru">{t("segments.language.ru")}</option>
        </select>
        <FieldErrors id={fields.locale.errorId} errors={fields.locale.errors} />
      </div>
      <fieldset className="field">
        <legend className="label">{t("segments.form.nps")}</legend>
        <div className="flex flex-wrap gap-4">
          {groupBoxes.map((box) => (
            <label key={box.key} className="flex items-center gap-2">
              <input {...box} key={box.key} />
              {t(`segments.nps.${box.value as (typeof NPS_GROUPS)[number]}`)}
            </label>
          ))}
        </div>
        <FieldErrors id={fields.npsGroups.errorId} errors={fields.npsGroups.errors} />
      </fieldset>
      <RangeFields legend={t("segments.form.inactive")} min={fields.inactiveMin} max={fields.inactiveMax} />
      <div className="field">
        <label htmlFor={fields.vouchedBy.id} className="label">
          {t("segments.form.vouchedBy")}
        </label>
        <select {...getSelectProps(fields.vouchedBy)} key={fields.vouchedBy.key} className="input">
          <option value="">{t("segments.form.any")}</option>
          <option value={ANY_VOUCHER}>{t("segments.form.vouchedAny")}</option>
          {vouchers.map((v) => (
            <option key={v.id} value={v.id}>
              {memberName(v.name, t)}
            </option>
          ))}
        </select>
        <FieldErrors id={fields.vouchedBy.errorId} errors={fields.vouchedBy.errors} />
      </div>
      <div className="field">
        <label htmlFor={fields.telegram.id} className="label">
          {t("segments.form.telegram")}
        </label>
        <select {...getSelectProps(fields.telegram)} key={fields.telegram.key} className="input">
          <option value="">{t("segments.form.any")}</option>
          <option value="yes">{t("segments.form.telegramYes")}</option>
          <option value="no">{t("segments.form.telegramNo")}</option>
        </select>
        <FieldErrors id={fields.telegram.errorId} errors={fields.telegram.errors} />
      </div>
      {/* Preview comes first: Enter in a field counts rather than saves. */}
      <div className="flex flex-wrap gap-3">
        <button type="submit" name="intent" value="preview" className="btn btn-secondary" disabled={navigation.state === "submitting"}>
          {t("segments.form.preview")}
        </button>
        <button type="submit" name="intent" value="save" className="btn btn-primary" disabled={navigation.state === "submitting"}>
          {t("segments.form.save")}
        </button>
      </div>
    </Form>
  );
}

/** The segment's figures: a preview's (said so, with a warning when it filters nobody out) or the saved filter's. */
export function SegmentFigures({
  preview,
  count,
  sample,
  timeZone,
}: {
  preview: { filter: object; count: number; sample: SampleMember[] } | null;
  count: number;
  sample: SampleMember[];
  timeZone: string;
}) {
  const t = useT();
  return (
    <>
      {preview ? (
        <p role="status" className="text-sm text-slate-700">
          {t("segments.form.previewed")}
        </p>
      ) : null}
      {preview && Object.keys(preview.filter).length === 0 ? <p className="text-sm text-amber-800">{t("segments.form.everyoneWarning")}</p> : null}
      <SegmentSample count={preview?.count ?? count} sample={preview?.sample ?? sample} timeZone={timeZone} />
    </>
  );
}

/** The live count and the first members by name, each linking to their page. */
export function SegmentSample({ count, sample, timeZone }: { count: number; sample: SampleMember[]; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="card space-y-3" aria-labelledby="segment-sample">
      <h2 id="segment-sample">{t("segments.sample.title")}</h2>
      <p role="status" data-testid="segment-count" className="text-lg font-semibold">
        {t("segments.count", { count })}
      </p>
      {sample.length ? (
        <table className="w-full text-left text-sm">
          <caption className="text-left text-slate-700">{t("segments.sample.caption", { shown: sample.length, count })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("segments.col.member")}</th>
              <th scope="col">{t("segments.col.tier")}</th>
              <th scope="col">{t("segments.col.lastActive")}</th>
              <th scope="col">{t("segments.col.npsGroup")}</th>
            </tr>
          </thead>
          <tbody>
            {sample.map((m) => (
              <tr key={m.id} className="border-t border-slate-200">
                <td className="py-1 pr-3">
                  <Link to={`/admin/members/${m.id}`}>
                    <MemberName name={m.name} />
                  </Link>
                </td>
                <td className="py-1 pr-3">{(locale === "ru" ? m.tierNameRu : m.tierNameEn) ?? ""}</td>
                <td className="py-1 pr-3">{m.lastActiveAt ? formatDate(locale, m.lastActiveAt, { dateStyle: "medium" }, timeZone) : t("segments.never")}</td>
                <td className="py-1">
                  {t(`segments.nps.${m.npsGroup}`)}
                  {m.score !== null ? ` · ${m.score}` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("segments.sample.none")}</p>
      )}
    </section>
  );
}
