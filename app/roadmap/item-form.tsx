import { getSelectProps, type FieldMetadata, type FormMetadata } from "@conform-to/react";
import type { z } from "zod";
import { useT } from "~/i18n/i18n";
import { FieldErrors, TextAreaField, TextField } from "~/ui/form";
import { DESCRIPTION_MAX, ROADMAP_STATUSES, TITLE_MAX, type ItemSchema } from "./forms";

/** Every item form (suggest, create, edit) uses the fields of ItemSchema, or some of them. */
export type ItemFormValue = z.input<typeof ItemSchema>;
type ItemFieldSet = ReturnType<FormMetadata<ItemFormValue, string[]>["getFieldset"]>;

/**
 * The fields of an item, for suggesting, creating and editing. Members write a title and
 * a description; curators and owners also set the target quarter, and when creating,
 * the status.
 */
export function ItemFields({ fields, staff, withStatus = true }: { fields: ItemFieldSet; staff: boolean; withStatus?: boolean }) {
  const t = useT();
  return (
    <>
      <TextField field={fields.title} label={t("roadmap.form.title")} inputProps={{ maxLength: TITLE_MAX }} />
      <TextAreaField
        field={fields.description}
        label={t("roadmap.form.description")}
        rows={8}
        help={t("roadmap.form.descriptionHelp", { max: DESCRIPTION_MAX })}
      />
      {staff ? (
        <TextField
          field={fields.targetQuarter}
          label={t("roadmap.form.targetQuarter")}
          help={t("roadmap.form.targetQuarterHelp")}
          inputProps={{ placeholder: "2027-Q1" }}
        />
      ) : null}
      {staff && withStatus ? <StatusField field={fields.status} /> : null}
    </>
  );
}

/** The status select, for creating an item and for changing an item's status. */
export function StatusField<Value>({ field }: { field: FieldMetadata<Value> }) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={field.id} className="label">
        {t("roadmap.status.label")}
      </label>
      <select {...getSelectProps(field)} key={field.key} className="input">
        {ROADMAP_STATUSES.map((status) => (
          <option key={status} value={status}>
            {t(`roadmap.status.${status}`)}
          </option>
        ))}
      </select>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
