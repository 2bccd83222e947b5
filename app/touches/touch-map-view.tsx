import type { SubmissionResult } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import { formatDateTime, formatMoney, useLocale, useT, type MessageKey, type Translate } from "~/i18n/i18n";
import { FieldErrors } from "~/ui/form";
import { memberName } from "~/ui/member-name";
import type { Touch, TouchPage } from "./touch-map.server";
import { TOUCH_KINDS, type TouchKind } from "./touch-map";

export type TouchMapData = TouchPage & {
  userId: string;
  kinds: TouchKind[];
  timeZone: string;
  /** The filter's errors when the URL held one no form of ours sends. */
  result: SubmissionResult<string[]> | null;
  /** The first page with the same filter, when this is an older one. */
  newest: string | null;
};

const CHANNEL_KEYS = { EMAIL: "touches.channel.EMAIL", TELEGRAM: "touches.channel.TELEGRAM", IN_APP: "touches.channel.IN_APP" } as const;

function staffName(touch: { byId: string | null; by: string | null }, t: Translate) {
  return touch.byId ? memberName(touch.by, t) : t("touches.staff.unknown");
}

function TouchText({ touch }: { touch: Touch }) {
  const t = useT();
  const locale = useLocale();
  switch (touch.kind) {
    case "email": {
      const p = touch.payload;
      return (
        <>
          {t("touches.email", { subject: p.subject })} <span className="text-slate-700">({t(`touches.email.${p.status}` as MessageKey)}; {p.template})</span>
        </>
      );
    }
    case "telegram": {
      const p = touch.payload;
      return (
        <>
          {t("touches.telegram", { status: t(`touches.telegram.${p.status}` as MessageKey) })}
          <span className="block whitespace-pre-line text-slate-700">{p.text}</span>
        </>
      );
    }
    case "notification":
      return <>{t("touches.notification", { line: touch.payload.notice })}</>;
    case "playbook": {
      const p = touch.payload;
      if (p.event === "entered") return <>{t(p.heldOut ? "touches.playbook.enteredHeldOut" : "touches.playbook.entered", { playbook: p.playbook })}</>;
      if (p.event === "exited") {
        const reason = p.reason ? t(`touches.exit.${p.reason}` as MessageKey) : t("touches.exit.unknown");
        return <>{t("touches.playbook.exited", { playbook: p.playbook, reason })}</>;
      }
      if (p.step === "SEND") {
        const channels = Object.entries(p.channels ?? {})
          .filter(([name, count]) => count > 0 && name in CHANNEL_KEYS)
          .map(([name]) => t(CHANNEL_KEYS[name as keyof typeof CHANNEL_KEYS]));
        const template = p.template ?? t("touches.playbook.templateGone");
        return channels.length ? (
          <>{t("touches.playbook.sent", { playbook: p.playbook, template, channels: channels.join(", ") })}</>
        ) : (
          <>{t("touches.playbook.sentNowhere", { playbook: p.playbook, template })}</>
        );
      }
      return <>{t(p.step === "TASK" ? "touches.playbook.task" : "touches.playbook.wait", { playbook: p.playbook })}</>;
    }
    case "task": {
      const p = touch.payload;
      if (p.event === "done") return <>{t("touches.task.done", { name: staffName(p, t), note: p.note })}</>;
      return (
        <>
          {p.playbook ? t("touches.task.createdBy", { playbook: p.playbook, note: p.note }) : t("touches.task.created", { note: p.note })}{" "}
          {p.open ? <span className="text-slate-700">({t("touches.task.open")})</span> : null}
        </>
      );
    }
    case "follow-up": {
      const p = touch.payload;
      return (
        <>
          {t(`touches.followUp.${p.kind}` as MessageKey, { name: staffName(p, t) })}
          {p.note ? <span className="block whitespace-pre-line text-slate-800">{p.note}</span> : null}
        </>
      );
    }
    case "survey": {
      const p = touch.payload;
      if (p.score === null) return <>{t("touches.survey.dismissed")}</>;
      return (
        <>
          {t("touches.survey.answered", { score: p.score })}
          {p.comment ? <q className="block whitespace-pre-line text-slate-800">{p.comment}</q> : null}
        </>
      );
    }
    case "reply": {
      const p = touch.payload;
      return (
        <>
          {t("touches.reply", { name: staffName(p, t), score: p.score ?? "—" })}
          <span className="block whitespace-pre-line text-slate-800">{p.body}</span>
        </>
      );
    }
    case "vote":
      return (
        <>
          {t("touches.vote")} <Link to={`/roadmap/${touch.payload.itemId}`}>{touch.payload.title}</Link>
        </>
      );
    case "post": {
      const p = touch.payload;
      const label = t(p.opening ? "touches.post.opening" : "touches.post.reply");
      return (
        <>
          {label}{" "}
          {p.visible ? <Link to={`/forum/p/${p.postId}`}>{p.title}</Link> : <span>{p.title}</span>}
          {!p.visible ? <span className="text-slate-700"> ({t(p.deleted ? "touches.post.deleted" : "touches.post.hidden")})</span> : null}
        </>
      );
    }
    case "payment": {
      const p = touch.payload;
      const amount = formatMoney(locale, Math.abs(p.amount), p.currency);
      return <>{t(p.kind === "REFUND" ? "touches.payment.refund" : "touches.payment.paid", { amount })}</>;
    }
    case "subscription": {
      const p = touch.payload;
      const tier = locale === "ru" ? p.tierRu : p.tierEn;
      if (p.event === "ended") return <>{t("touches.subscription.ended", { tier })}</>;
      return (
        <>
          {t("touches.subscription.started", { tier })}{" "}
          <span className="text-slate-700">
            ({p.amount > 0 ? `${formatMoney(locale, p.amount, p.currency)}${p.interval ? ` / ${t(`touches.interval.${p.interval}` as MessageKey)}` : ""}` : t("touches.subscription.free")})
          </span>
        </>
      );
    }
  }
}

/** The touch map on the member's page: a GET form of kinds, then the timeline, newest first. */
export function TouchMap({ data }: { data: TouchMapData }) {
  const t = useT();
  const locale = useLocale();
  const errors = data.result?.error ?? {};
  const formErrors = Object.entries(errors).flatMap(([, list]) => list ?? []);
  return (
    <section aria-labelledby="touch-map" className="card space-y-4">
      <h2 id="touch-map">{t("touches.title")}</h2>
      <p className="text-slate-700">{t("touches.intro")}</p>
      <Form method="get" className="space-y-3" aria-describedby={formErrors.length ? "touch-filter-error" : undefined}>
        <fieldset>
          <legend className="label">{t("touches.filter.kinds")}</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {TOUCH_KINDS.map((kind) => (
              <label key={kind} className="inline-flex items-center gap-1">
                <input type="checkbox" name="kind" value={kind} defaultChecked={data.kinds.includes(kind)} />
                {t(`touches.kind.${kind}` as MessageKey)}
              </label>
            ))}
          </div>
          <p className="help">{t("touches.filter.help")}</p>
          <FieldErrors id="touch-filter-error" errors={formErrors.length ? formErrors : undefined} />
        </fieldset>
        <button type="submit" className="btn btn-secondary">
          {t("touches.filter.show")}
        </button>
      </Form>
      {data.touches.length ? (
        <ol className="divide-y divide-slate-200" aria-label={t("touches.title")}>
          {data.touches.map((touch) => (
            <li key={`${touch.kind}:${touch.id}`} className="grid gap-1 py-2 sm:grid-cols-[11rem_8rem_1fr] wrap-anywhere" data-kind={touch.kind}>
              <time dateTime={touch.at} className="text-sm text-slate-700">
                {formatDateTime(locale, touch.at, data.timeZone)}
              </time>
              <span className="text-sm font-medium">{t(`touches.kind.${touch.kind}` as MessageKey)}</span>
              <span>
                <TouchText touch={touch} />
              </span>
            </li>
          ))}
        </ol>
      ) : formErrors.length ? null : (
        <p className="text-slate-700">{t("touches.empty")}</p>
      )}
      <nav aria-label={t("touches.pages")} className="flex gap-4 text-sm">
        {data.newest ? <Link to={data.newest}>{t("touches.newest")}</Link> : null}
        {data.older ? <Link to={data.older}>{t("touches.older")}</Link> : null}
      </nav>
    </section>
  );
}
