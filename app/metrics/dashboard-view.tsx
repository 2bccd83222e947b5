import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, Link } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { changeOf, HEADLINE_UNIT, headlineValues, type HeadlineId } from "./comparison";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { FORM_VALIDATION, FieldErrors, TextField } from "~/ui/form";
import type { CachedDashboard } from "./dashboard-cache.server";
import type { Dashboard } from "./dashboard.server";
import { JOIN_ROUTES } from "./growth";
import { PRESETS, periodSchema, todayIn, type Preset } from "./period";
import { dashboardTables, type MetricsTable, type TableId } from "./tables";
import {
  ChartWithTable,
  CohortHeatmap,
  csvHref,
  DataTableView,
  Figure,
  formatDay,
  formatMonth,
  monthInPhrase,
  StackedBarChart,
  tierName,
  TrendChart,
  useCellContext,
  type CellContext,
} from "./ui";

export type DashboardPageData = {
  isOwner: boolean;
  preset: Preset;
  period: { from: string; to: string; tier: string | null } | null;
  result: SubmissionResult<string[]> | null;
  dashboard: CachedDashboard | null;
  timeZone: string;
  tiers: Array<{ id: string; nameEn: string; nameRu: string }>;
};

function PeriodPicker({ data }: { data: DashboardPageData }) {
  const t = useT();
  const today = todayIn(data.timeZone);
  const [form, fields] = useForm({
    id: "metrics-period",
    lastResult: data.result,
    defaultValue: data.period ? { from: data.period.from, to: data.period.to } : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: periodSchema(today) }),
    ...FORM_VALIDATION,
  });
  return (
    <section aria-labelledby="metrics-period-title" className="card space-y-4">
      <h2 id="metrics-period-title">{t("metrics.period.title")}</h2>
      <nav aria-label={t("metrics.period.quick")}>
        <ul className="flex flex-wrap gap-2">
          {PRESETS.filter((p) => p !== "custom").map((preset) => (
            <li key={preset}>
              <Link
                to={`?preset=${preset}`}
                className={`btn ${data.preset === preset && data.period ? "btn-primary" : "btn-secondary"}`}
                aria-current={data.preset === preset && data.period ? "page" : undefined}
              >
                {t(`metrics.period.preset.${preset}` as MessageKey)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" {...getFormProps(form)}>
        <input type="hidden" name="preset" value="custom" />
        {data.period?.tier ? <input type="hidden" name="tier" value={data.period.tier} /> : null}
        <fieldset>
          <legend className="label">{t("metrics.period.custom")}</legend>
          <div className="grid gap-x-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
            <TextField field={fields.from} type="date" label={t("metrics.period.from")} />
            <TextField field={fields.to} type="date" label={t("metrics.period.to")} />
            <button type="submit" className="btn btn-primary sm:mt-6">
              {t("metrics.period.submit")}
            </button>
          </div>
          <FieldErrors id={fields.tier.errorId} errors={fields.tier.errors} />
        </fieldset>
      </Form>
    </section>
  );
}

function usePeriodWords(d: Dashboard) {
  const t = useT();
  const ctx = useCellContext(d.tiers, d.currency);
  const period = t("metrics.ofPeriod", { from: formatDay(ctx.locale, d.period.from), to: formatDay(ctx.locale, d.period.to) });
  const asOf = t("metrics.asOf", { date: formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone) });
  return { ctx, period, asOf };
}

/** Chart labels of the period's months; a month still running is labelled partial. */
function monthLabels(ctx: CellContext, d: Dashboard, months: string[]) {
  const running = new Set(d.months.filter((m) => !m.complete).map((m) => m.month));
  return months.map((m) => (running.has(m) ? ctx.t("metrics.month.partial", { month: formatMonth(ctx.locale, m) }) : formatMonth(ctx.locale, m)));
}

/** What "contributed this month" covers: the month, or the part of it up to the period's end. */
function contributedSpan(ctx: CellContext, d: Dashboard) {
  const month = d.engagement!.thisMonth;
  const members = formatNumber(ctx.locale, month.members);
  return month.complete
    ? { headline: formatMonth(ctx.locale, month.month, "long"), help: ctx.t("metrics.engagement.contributedHelp", { month: monthInPhrase(ctx.locale, month.month), members }) }
    : {
        headline: ctx.t("metrics.month.partialTo", { month: formatMonth(ctx.locale, month.month, "long"), date: formatDateTime(ctx.locale, month.endsAt, d.period.timeZone) }),
        help: ctx.t("metrics.engagement.contributedHelpPartial", {
          month: monthInPhrase(ctx.locale, month.month),
          date: formatDateTime(ctx.locale, month.endsAt, d.period.timeZone),
          members,
        }),
      };
}

function tableOf(tables: MetricsTable[], id: TableId) {
  return tables.find((table) => table.id === id)!;
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="space-y-4">
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** "Up 2.1 pts from 80.0 % in the previous period (…)": an arrow, the change and the previous value, in words for screen readers. */
function ChangeNote({ d, id, format }: { d: Dashboard; id: HeadlineId; format: (v: number) => string }) {
  const t = useT();
  const { ctx } = usePeriodWords(d);
  if (!d.comparison) return null;
  const previous = d.comparison.previous[id];
  const current = headlineValues(d)[id];
  const range = { from: formatDay(ctx.locale, d.comparison.from), to: formatDay(ctx.locale, d.comparison.to) };
  const change = changeOf(current, previous);
  if (!change) {
    // Either side may lack a figure: say which, never a made-up change.
    const text =
      previous === null || previous === undefined
        ? t("metrics.compare.none", range)
        : t("metrics.compare.noCurrent", { previous: format(previous), ...range });
    return <span data-compare={id}>{text}</span>;
  }
  const size = Math.abs(change.delta);
  const unit = HEADLINE_UNIT[id];
  const amount =
    unit === "points"
      ? t("metrics.compare.points", { n: formatNumber(ctx.locale, size, { maximumFractionDigits: 1 }) })
      : unit === "score"
        ? formatNumber(ctx.locale, size, { maximumFractionDigits: 1 })
        : unit === "ratio"
          ? formatNumber(ctx.locale, size, { maximumFractionDigits: 2 })
          : unit === "count"
            ? formatNumber(ctx.locale, size)
            : format(size);
  const previousText = format(previous!);
  const sentence =
    change.direction === "same"
      ? t("metrics.compare.same", range)
      : t(change.direction === "up" ? "metrics.compare.up" : "metrics.compare.down", { change: amount, previous: previousText, ...range });
  const arrow = change.direction === "up" ? "▲" : change.direction === "down" ? "▼" : "=";
  const sign = change.direction === "up" ? "+" : change.direction === "down" ? "−" : "";
  return (
    <span data-compare={id}>
      <span aria-hidden="true">
        {arrow} {sign}
        {amount} · {t("metrics.compare.previous", { previous: previousText })}
      </span>
      <span className="sr-only">{sentence}</span>
    </span>
  );
}

function KeyFigures({ d }: { d: Dashboard }) {
  const t = useT();
  const { ctx, period, asOf } = usePeriodWords(d);
  const money = (v: number | null) => (v === null ? null : formatMoney(ctx.locale, Math.round(v), d.currency));
  const percent = (v: number | null) => (v === null ? null : formatPercent(ctx.locale, v));
  const nps = (v: number | null) => (v === null ? null : formatNumber(ctx.locale, v, { maximumFractionDigits: 1, signDisplay: "exceptZero" }));
  const ratio = (v: number | null) => (v === null ? null : formatNumber(ctx.locale, v, { maximumFractionDigits: 2 }));
  const count = (v: number | null) => (v === null ? null : formatNumber(ctx.locale, v));
  // A figure summed over the period is partial while the period runs; one taken at an instant is not.
  const running = d.period.countedToNow ? t("metrics.partial.help", { date: formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone) }) : null;
  type Headline = { id: HeadlineId | "atRisk"; label: string; value: string | null; help: ReactNode; format?: (v: number | null) => string | null; partial?: string | null };
  const figures: Headline[] = [];
  if (d.nps) figures.push({ id: "nps", label: t("metrics.nps.score"), value: nps(d.nps.period.score), format: nps, help: period, partial: running });
  if (d.retention) figures.push({ id: "retention", label: t("metrics.retention.rate"), value: percent(d.retention.rate), format: percent, help: period, partial: running });
  if (d.churn) figures.push({ id: "churn", label: t("metrics.churn.average"), value: percent(d.churn.average), format: percent, help: period });
  if (d.revenue) {
    const m = d.revenue.movements.period;
    figures.push({ id: "mrr", label: t("metrics.revenue.mrr"), value: money(d.revenue.atEnd.mrr), format: money, help: asOf });
    figures.push({ id: "arpa", label: t("metrics.revenue.arpa"), value: money(d.revenue.atEnd.arpa), format: money, help: asOf });
    figures.push({ id: "nrr", label: t("metrics.movements.nrr"), value: percent(m.nrr), format: percent, help: <Definition text={t("metrics.movements.nrrHelp")} missing={m.nrr === null ? t("metrics.movements.noStart") : null} />, partial: running });
    figures.push({ id: "grr", label: t("metrics.movements.grr"), value: percent(m.grr), format: percent, help: <Definition text={t("metrics.movements.grrHelp")} missing={m.grr === null ? t("metrics.movements.noStart") : null} />, partial: running });
    figures.push({ id: "quickRatio", label: t("metrics.movements.quickRatio"), value: ratio(m.quickRatio), format: ratio, help: <Definition text={t("metrics.movements.quickRatioHelp")} missing={m.quickRatio === null ? t("metrics.movements.noLoss") : null} />, partial: running });
  }
  if (d.ltv) {
    figures.push({ id: "ltv", label: t("metrics.ltv.ltv"), value: money(d.ltv.value), format: money, help: asOf });
    figures.push({ id: "realizedLtv", label: t("metrics.ltv.realized"), value: money(d.ltv.realized.value), format: money, help: asOf });
  }
  if (d.growth) {
    figures.push({ id: "viaMembers", label: t("metrics.growth.viaMembers"), value: percent(d.growth.viaMembers), format: percent, help: period, partial: running });
    figures.push({ id: "cac", label: t("metrics.growth.cac"), value: money(d.growth.cac), format: money, help: <CacHelp d={d} /> });
  }
  if (d.engagement) {
    const window = t("metrics.ofPeriod", {
      from: formatDateTime(ctx.locale, d.engagement.window.startsAt, d.period.timeZone),
      to: formatDateTime(ctx.locale, d.engagement.window.endsAt, d.period.timeZone),
    });
    figures.push({ id: "active", label: t("metrics.engagement.active"), value: count(d.engagement.active), format: count, help: window });
    figures.push({
      id: "contributed",
      label: t("metrics.engagement.contributed"),
      value: percent(d.engagement.thisMonth.share),
      format: percent,
      help: contributedSpan(ctx, d).headline,
      partial: d.engagement.thisMonth.complete ? null : t("metrics.partial.help", { date: formatDateTime(ctx.locale, d.engagement.thisMonth.endsAt, d.period.timeZone) }),
    });
  }
  if (d.atRisk) {
    figures.push({
      id: "atRisk",
      label: t("metrics.atRisk.total"),
      value: formatNumber(ctx.locale, d.atRisk.total),
      help: `${t("metrics.asOf", { date: formatDateTime(ctx.locale, d.generatedAt, d.period.timeZone) })} ${d.comparison ? t("metrics.compare.atRiskNow") : ""}`.trim(),
    });
  }
  return (
    <section aria-labelledby="metrics-key-title">
      <h2 id="metrics-key-title">{t("metrics.keyFigures")}</h2>
      {d.comparison ? (
        <p className="mt-1 text-slate-700">{t("metrics.compare.intro", { from: formatDay(ctx.locale, d.comparison.from), to: formatDay(ctx.locale, d.comparison.to) })}</p>
      ) : null}
      <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {figures.map((f) => (
          <Figure
            key={f.id}
            label={f.label}
            value={f.value}
            help={f.help}
            partial={f.partial}
            change={f.id !== "atRisk" && f.format ? <ChangeNote d={d} id={f.id} format={(v) => f.format!(v) ?? ""} /> : null}
          />
        ))}
      </dl>
    </section>
  );
}

/** A figure's definition, folded: open it to read how it is computed (works without JavaScript). */
function Definition({ text, missing }: { text: string; missing?: string | null }) {
  const t = useT();
  return (
    <>
      {missing ? <span className="block">{missing}</span> : null}
      <details>
        <summary className="cursor-pointer">{t("metrics.movements.definition")}</summary>
        <span className="block">{text}</span>
      </details>
    </>
  );
}

function NpsSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const nps = d.nps!;
  const percent = (v: number | null) => (v === null ? null : formatPercent(ctx.locale, v));
  return (
    <Section id="nps" title={`${t("metrics.nps.title")}: ${period}`}>
      <p className="text-slate-700">{t("metrics.nps.formula")}</p>
      {nps.period.responses ? null : <p className="text-slate-700">{t("metrics.nps.empty")}</p>}
      <dl className="grid gap-4 sm:grid-cols-4">
        <Figure label={t("metrics.nps.score")} value={nps.period.score === null ? null : formatNumber(ctx.locale, nps.period.score, { maximumFractionDigits: 1, signDisplay: "exceptZero" })} help={period} />
        <Figure label={t("metrics.col.promoters")} value={formatNumber(ctx.locale, nps.period.promoters)} help={percent(nps.period.promoterShare) ?? undefined} />
        <Figure label={t("metrics.col.passives")} value={formatNumber(ctx.locale, nps.period.passives)} help={percent(nps.period.passiveShare) ?? undefined} />
        <Figure label={t("metrics.col.detractors")} value={formatNumber(ctx.locale, nps.period.detractors)} help={percent(nps.period.detractorShare) ?? undefined} />
        <Figure
          label={t("metrics.nps.respondents")}
          value={formatNumber(ctx.locale, nps.period.respondents)}
          help={t("metrics.nps.respondentsHelp", { answers: formatNumber(ctx.locale, nps.period.responses), respondents: formatNumber(ctx.locale, nps.period.respondents) })}
        />
        <Figure
          label={t("metrics.nps.responseRate")}
          value={percent(nps.period.responseRate)}
          help={t("metrics.nps.responseRateHelp", { respondents: formatNumber(ctx.locale, nps.period.respondents), asked: formatNumber(ctx.locale, nps.period.asked) })}
        />
      </dl>
      <ChartWithTable
        heading={t("metrics.nps.byMonth")}
        chart={
          <TrendChart
            title={t("metrics.nps.byMonth")}
            labels={monthLabels(ctx, d, nps.byMonth.map((m) => m.month)).map((label, i) => t("metrics.nps.sample", { month: label, n: formatNumber(ctx.locale, nps.byMonth[i].responses) }))}
            series={[{ name: t("metrics.nps.score"), values: nps.byMonth.map((m) => m.score) }]}
            format={(v) => formatNumber(ctx.locale, v, { maximumFractionDigits: 0 })}
            domain={[-100, 100]}
          />
        }
        table={<DataTableView table={tableOf(tables, "nps-months")} ctx={ctx} csv={csvHref("nps-months", search)} />}
      />
      <DataTableView table={tableOf(tables, "nps-tiers")} ctx={ctx} csv={csvHref("nps-tiers", search)} />
      <DataTableView table={tableOf(tables, "nps-tenure")} ctx={ctx} csv={csvHref("nps-tenure", search)} />
      {nps.bySegment.length ? (
        <>
          <DataTableView table={tableOf(tables, "nps-segments")} ctx={ctx} csv={csvHref("nps-segments", search)} />
          <p className="text-sm text-slate-700">{t("metrics.nps.bySegmentHelp")}</p>
        </>
      ) : null}
      <section aria-labelledby="nps-comments-title">
        <h3 id="nps-comments-title">{t("metrics.nps.comments")}</h3>
        <p className="mt-1">
          <Link to="/admin/metrics/comments">{t("touches.dashboard.allComments")}</Link>
        </p>
        {nps.comments.length ? (
          <ul className="mt-2 space-y-3">
            {nps.comments.map((c) => (
              <li key={c.id} className="card">
                <p className="text-sm text-slate-700">
                  {t("metrics.nps.commentBy", { score: c.score, name: c.memberName, tier: tierName(ctx, c.tierId), date: formatDateTime(ctx.locale, c.createdAt, d.period.timeZone) })}
                </p>
                <p className="mt-1 whitespace-pre-line">{c.comment}</p>
                <p className="mt-1 text-sm">
                  <Link to={`/admin/metrics/comments?answer=${encodeURIComponent(c.id)}#answer-${c.id}`}>{t("touches.dashboard.reply")}</Link>
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-700">{t("metrics.nps.commentsEmpty")}</p>
        )}
      </section>
    </Section>
  );
}

function RetentionSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const r = d.retention!;
  return (
    <Section id="retention" title={`${t("metrics.retention.title")}: ${period}`}>
      <p className="text-slate-700">{t("metrics.retention.formula")}</p>
      <dl className="grid gap-4 sm:grid-cols-4">
        <Figure label={t("metrics.retention.rate")} value={r.rate === null ? null : formatPercent(ctx.locale, r.rate)} help={period} />
        <Figure label={t("metrics.retention.start")} value={formatNumber(ctx.locale, r.start)} help={formatDateTime(ctx.locale, d.period.startsAt, d.period.timeZone)} />
        <Figure label={t("metrics.retention.end")} value={formatNumber(ctx.locale, r.end)} help={formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone)} />
        <Figure label={t("metrics.retention.joined")} value={formatNumber(ctx.locale, r.joined)} />
      </dl>
      <p className="text-slate-700">{t("metrics.retention.byTierHelp")}</p>
      <DataTableView table={tableOf(tables, "retention-tiers")} ctx={ctx} csv={csvHref("retention-tiers", search)} />
    </Section>
  );
}

function CohortSection({ d, tables, search, data }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams; data: DashboardPageData }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const table = tableOf(tables, "cohorts");
  return (
    <Section id="cohorts" title={`${t("metrics.cohorts.title")}: ${period}`}>
      <p className="text-slate-700">{t("metrics.cohorts.help")}</p>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="preset" value={data.preset} />
        {data.preset === "custom" && data.period ? (
          <>
            <input type="hidden" name="from" value={data.period.from} />
            <input type="hidden" name="to" value={data.period.to} />
          </>
        ) : null}
        <div>
          <label htmlFor="cohort-tier" className="label">
            {t("metrics.cohorts.tier")}
          </label>
          <select id="cohort-tier" name="tier" defaultValue={d.cohorts?.tierId ?? ""} className="input">
            <option value="">{t("metrics.tier.all")}</option>
            {data.tiers.map((tier) => (
              <option key={tier.id} value={tier.id}>
                {ctx.locale === "ru" ? tier.nameRu : tier.nameEn}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-secondary">
          {t("metrics.cohorts.filter")}
        </button>
      </Form>
      {d.cohorts!.rows.every((row) => row.size === 0) ? <p className="text-slate-700">{t("metrics.cohorts.empty")}</p> : null}
      <CohortHeatmap table={table} ctx={ctx} csv={csvHref("cohorts", search)} />
    </Section>
  );
}

function ChurnSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const churn = d.churn!;
  const over = churn.averageOver;
  return (
    <Section id="churn" title={`${t("metrics.churn.title")}: ${period}`}>
      <p className="text-slate-700">{t("metrics.churn.formula")}</p>
      <dl className="grid gap-4 sm:grid-cols-4">
        <Figure
          label={t("metrics.churn.average")}
          value={churn.average === null ? null : formatPercent(ctx.locale, churn.average)}
          help={over.length ? t("metrics.churn.averageOver", { first: formatMonth(ctx.locale, over[0]), last: formatMonth(ctx.locale, over[over.length - 1]) }) : t("metrics.churn.noCompleteMonth")}
        />
      </dl>
      <ChartWithTable
        heading={t("metrics.churn.byMonth")}
        chart={
          <TrendChart
            kind="bar"
            title={t("metrics.churn.byMonth")}
            labels={monthLabels(ctx, d, churn.months.map((m) => m.month))}
            series={[{ name: t("metrics.col.churn"), values: churn.months.map((m) => m.rate) }]}
            format={(v) => formatPercent(ctx.locale, v)}
          />
        }
        table={<DataTableView table={tableOf(tables, "churn-months")} ctx={ctx} csv={csvHref("churn-months", search)} />}
      />
      <DataTableView table={tableOf(tables, "churn-tiers")} ctx={ctx} csv={csvHref("churn-tiers", search)} />
    </Section>
  );
}

function RevenueSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const revenue = d.revenue!;
  const money = (v: number | null) => (v === null ? null : formatMoney(ctx.locale, Math.round(v), d.currency));
  const start = formatDateTime(ctx.locale, d.period.startsAt, d.period.timeZone);
  const end = formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone);
  return (
    <Section id="revenue" title={`${t("metrics.revenue.title")}: ${period}`}>
      <p className="text-slate-700">{t("metrics.revenue.formula")}</p>
      <dl className="grid gap-4 sm:grid-cols-4">
        <Figure label={`${t("metrics.revenue.mrr")} · ${t("metrics.revenue.atStart", { date: start })}`} value={money(revenue.atStart.mrr)} help={t("metrics.revenue.payingCount", { count: formatNumber(ctx.locale, revenue.atStart.paying) })} />
        <Figure label={`${t("metrics.revenue.mrr")} · ${t("metrics.revenue.atEnd", { date: end })}`} value={money(revenue.atEnd.mrr)} help={t("metrics.revenue.payingCount", { count: formatNumber(ctx.locale, revenue.atEnd.paying) })} />
        <Figure label={`${t("metrics.revenue.arpa")} · ${t("metrics.revenue.atEnd", { date: end })}`} value={money(revenue.atEnd.arpa)} />
      </dl>
      <ChartWithTable
        heading={t("metrics.revenue.byMonth")}
        chart={
          <TrendChart
            title={t("metrics.revenue.byMonth")}
            labels={monthLabels(ctx, d, revenue.months.map((m) => m.month))}
            series={[{ name: t("metrics.revenue.mrr"), values: revenue.months.map((m) => m.mrr) }]}
            format={(v) => formatMoney(ctx.locale, Math.round(v), d.currency)}
          />
        }
        table={<DataTableView table={tableOf(tables, "revenue-months")} ctx={ctx} csv={csvHref("revenue-months", search)} />}
      />
      <DataTableView table={tableOf(tables, "revenue-tiers")} ctx={ctx} csv={csvHref("revenue-tiers", search)} />
      <MovementsBlock d={d} tables={tables} search={search} />
    </Section>
  );
}

const MOVEMENT_BANDS = [
  { kind: "new", color: "#1d4ed8", sign: 1 },
  { kind: "expansion", color: "#0e7490", sign: 1 },
  { kind: "reactivation", color: "#6d28d9", sign: 1 },
  { kind: "contraction", color: "#db2777", sign: -1 },
  { kind: "churn", color: "#b91c1c", sign: -1 },
] as const;

function MovementsBlock({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const movements = d.revenue!.movements;
  const money = (v: number) => formatMoney(ctx.locale, Math.round(v), d.currency);
  const labels = monthLabels(ctx, d, movements.months.map((m) => m.month));
  const gains = movements.months.map((m) => m.new + m.expansion + m.reactivation);
  const losses = movements.months.map((m) => m.contraction + m.churn);
  const title = t("metrics.movements.chartTitle");
  const p = movements.period;
  return (
    <section id="movements" aria-labelledby="movements-title" className="space-y-4">
      <h3 id="movements-title">{`${t("metrics.movements.title")}: ${period}`}</h3>
      <p className="text-slate-700">{t("metrics.movements.formula")}</p>
      <dl className="grid gap-4 sm:grid-cols-3">
        {MOVEMENT_BANDS.map((band) => (
          <Figure
            key={band.kind}
            label={t(`metrics.movements.${band.kind}` as MessageKey)}
            value={`${band.sign > 0 ? "+" : "−"}${money(p[band.kind])}`}
            help={t("metrics.movements.kindHelp", { amount: money(p[band.kind]), count: formatNumber(ctx.locale, p.members[band.kind]) })}
          />
        ))}
        <Figure label={t("metrics.movements.net")} value={`${p.net < 0 ? "−" : "+"}${money(Math.abs(p.net))}`} help={`${money(p.start)} → ${money(p.end)}`} />
      </dl>
      <ChartWithTable
        heading={t("metrics.movements.byMonth")}
        chart={
          <StackedBarChart
            title={title}
            summary={t("metrics.movements.chartSummary", {
              title,
              first: labels[0] ?? "",
              last: labels[labels.length - 1] ?? "",
              gain: money(Math.max(0, ...gains)),
              loss: money(Math.max(0, ...losses)),
            })}
            labels={labels}
            bands={MOVEMENT_BANDS.map((band) => ({ name: t(`metrics.movements.${band.kind}` as MessageKey), color: band.color, sign: band.sign, values: movements.months.map((m) => m[band.kind]) }))}
            format={money}
          />
        }
        table={<DataTableView table={tableOf(tables, "revenue-movements")} ctx={ctx} csv={csvHref("revenue-movements", search)} />}
      />
    </section>
  );
}

function LtvSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, asOf } = usePeriodWords(d);
  const ltv = d.ltv!;
  const money = (v: number | null) => (v === null ? null : formatMoney(ctx.locale, Math.round(v), d.currency));
  const months = ltv.trailingMonths;
  return (
    <Section id="ltv" title={`${t("metrics.ltv.title")}: ${asOf}`}>
      <dl className="grid gap-4 sm:grid-cols-2">
        <Figure
          label={t("metrics.ltv.ltv")}
          value={money(ltv.value)}
          help={
            <>
              {months.length
                ? t("metrics.ltv.formula", { first: formatMonth(ctx.locale, months[0].month), last: formatMonth(ctx.locale, months[months.length - 1].month) })
                : null}{" "}
              {ltv.arpa !== null && ltv.averageChurn !== null
                ? t("metrics.ltv.division", { arpa: money(ltv.arpa)!, churn: formatPercent(ctx.locale, ltv.averageChurn, 2) })
                : null}{" "}
              {ltv.reason === "ok" ? null : t(`metrics.ltv.reason.${ltv.reason}` as MessageKey)}
            </>
          }
        />
        <Figure
          label={t("metrics.ltv.realized")}
          value={money(ltv.realized.value)}
          help={t("metrics.ltv.realizedFormula", { date: formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone) })}
        />
      </dl>
      <DataTableView table={tableOf(tables, "ltv-trailing")} ctx={ctx} csv={csvHref("ltv-trailing", search)} />
      <DataTableView table={tableOf(tables, "ltv-tiers")} ctx={ctx} csv={csvHref("ltv-tiers", search)} />
    </Section>
  );
}

function EngagementSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const e = d.engagement!;
  const window = {
    from: formatDateTime(ctx.locale, e.window.startsAt, d.period.timeZone),
    to: formatDateTime(ctx.locale, e.window.endsAt, d.period.timeZone),
  };
  return (
    <Section id="engagement" title={`${t("metrics.engagement.title")}: ${period}`}>
      <dl className="grid gap-4 sm:grid-cols-3">
        <Figure
          label={t("metrics.engagement.active")}
          value={t("metrics.engagement.activeOf", { active: formatNumber(ctx.locale, e.active), members: formatNumber(ctx.locale, e.members) })}
          help={t("metrics.engagement.activeHelp", window)}
        />
        <Figure
          label={t("metrics.engagement.postsPerActive")}
          value={e.postsPerActive === null ? null : formatNumber(ctx.locale, e.postsPerActive, { maximumFractionDigits: 2 })}
          help={t("metrics.engagement.postsHelp")}
        />
        <Figure
          label={t("metrics.engagement.contributed")}
          value={e.thisMonth.share === null ? null : formatPercent(ctx.locale, e.thisMonth.share)}
          help={contributedSpan(ctx, d).help}
        />
      </dl>
      <ChartWithTable
        heading={t("metrics.engagement.byMonth")}
        chart={
          <TrendChart
            kind="bar"
            title={t("metrics.engagement.byMonth")}
            labels={monthLabels(ctx, d, e.months.map((m) => m.month))}
            series={[
              { name: t("metrics.col.activeShare"), values: e.months.map((m) => m.activeShare) },
              { name: t("metrics.col.contributedShare"), values: e.months.map((m) => m.contributedShare) },
            ]}
            format={(v) => formatPercent(ctx.locale, v)}
            domain={[0, 100]}
          />
        }
        table={<DataTableView table={tableOf(tables, "engagement-months")} ctx={ctx} csv={csvHref("engagement-months", search)} />}
      />
      <DataTableView table={tableOf(tables, "engagement-tiers")} ctx={ctx} csv={csvHref("engagement-tiers", search)} />
    </Section>
  );
}

/** Which months CAC divides, and those without spend entered. */
function CacHelp({ d }: { d: Dashboard }) {
  const t = useT();
  const locale = useLocale();
  const g = d.growth!;
  if (!g.spendMonths.length) {
    return (
      <>
        {t("metrics.growth.noSpend")} <Link to="/admin/metrics/spend">{t("metrics.growth.enterSpend")}</Link>
      </>
    );
  }
  const months = (list: string[]) => list.map((m) => formatMonth(locale, m)).join(", ");
  return (
    <>
      {t("metrics.growth.cacHelp")}
      {g.missingSpendMonths.length ? ` ${t("metrics.growth.missingSpend", { months: months(g.missingSpendMonths) })}` : null}
    </>
  );
}

function GrowthSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const g = d.growth!;
  const money = (v: number | null) => (v === null ? null : formatMoney(ctx.locale, Math.round(v), d.currency));
  const count = (v: number) => formatNumber(ctx.locale, v);
  const e = d.engagement;
  return (
    <Section id="growth" title={`${t("metrics.growth.title")}: ${period}`}>
      <p className="text-slate-700">{t("metrics.growth.intro")}</p>
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Figure
          label={t("metrics.growth.viaMembers")}
          value={g.viaMembers === null ? null : formatPercent(ctx.locale, g.viaMembers)}
          help={t("metrics.growth.joinedHelp", { total: count(g.joined.total), vouch: count(g.joined.vouch), invite: count(g.joined.invite), application: count(g.joined.application), direct: count(g.joined.direct) })}
        />
        <Figure
          label={t("metrics.growth.vouchesPerMember")}
          value={g.vouchesPerMember === null ? null : formatNumber(ctx.locale, g.vouchesPerMember, { maximumFractionDigits: 2 })}
          help={t("metrics.growth.vouchesHelp", { made: count(g.vouches.made), vouchers: count(g.vouches.vouchers), members: count(g.members) })}
        />
        <Figure
          label={t("metrics.growth.conversion")}
          value={g.vouches.conversion === null ? null : formatPercent(ctx.locale, g.vouches.conversion)}
          help={t("metrics.growth.conversionHelp", { made: count(g.vouches.made), applied: count(g.vouches.applied), joined: count(g.vouches.joined) })}
        />
        <Figure label={t("metrics.growth.cac")} value={money(g.cac)} help={<CacHelp d={d} />} />
        <Figure
          label={t("metrics.growth.spend")}
          value={money(g.spend)}
          help={
            <>
              {t("metrics.growth.newPaying", { count: count(g.newPaying) })} <Link to="/admin/metrics/spend">{t("metrics.growth.enterSpend")}</Link>
            </>
          }
        />
        <Figure
          label={t("metrics.growth.ltvToCac")}
          value={g.ltvToCac === null ? null : formatNumber(ctx.locale, g.ltvToCac, { maximumFractionDigits: 1 })}
          help={d.ltv ? t("metrics.growth.ltvToCacHelp", { ltv: money(d.ltv.value) ?? t("metrics.none"), cac: money(g.cac) ?? t("metrics.none") }) : null}
        />
      </dl>
      <ChartWithTable
        heading={t("metrics.growth.byMonth")}
        chart={
          <StackedBarChart
            title={t("metrics.growth.byMonth")}
            summary={t("metrics.growth.chartSummary", { total: count(g.joined.total), vouch: count(g.joined.vouch) })}
            labels={monthLabels(ctx, d, g.months.map((m) => m.month))}
            bands={JOIN_ROUTES.map((route, i) => ({ name: t(`metrics.growth.route.${route}`), color: ROUTE_COLORS[i], sign: 1 as const, values: g.months.map((m) => m.joined[route]) }))}
            format={(v) => formatNumber(ctx.locale, v)}
          />
        }
        table={<DataTableView table={tableOf(tables, "growth-months")} ctx={ctx} csv={csvHref("growth-months", search)} />}
      />
      {e ? (
        <ChartWithTable
          heading={t("metrics.growth.dilution")}
          chart={
            <TrendChart
              title={t("metrics.growth.dilution")}
              labels={monthLabels(ctx, d, e.months.map((m) => m.month))}
              series={[{ name: t("metrics.growth.postsPerMember"), values: e.months.map((m) => (m.members ? m.posts / m.members : null)) }]}
              format={(v) => formatNumber(ctx.locale, v, { maximumFractionDigits: 2 })}
            />
          }
          table={<DataTableView table={tableOf(tables, "growth-dilution")} ctx={ctx} csv={csvHref("growth-dilution", search)} />}
        />
      ) : null}
    </Section>
  );
}

const ROUTE_COLORS = ["#0f766e", "#7c3aed", "#2563eb", "#94a3b8"];

function AtRiskSection({ d, tables, search }: { d: Dashboard; tables: MetricsTable[]; search: URLSearchParams }) {
  const t = useT();
  const { ctx, period } = usePeriodWords(d);
  const a = d.atRisk!;
  return (
    <Section id="at-risk" title={t("metrics.atRisk.title")}>
      <dl className="grid gap-4 sm:grid-cols-3">
        <Figure label={t("metrics.atRisk.total")} value={formatNumber(ctx.locale, a.total)} help={`${t("metrics.atRisk.detractors")}: ${formatNumber(ctx.locale, a.detractors)} · ${t("metrics.atRisk.inactive")}: ${formatNumber(ctx.locale, a.inactive)}`} />
        <Figure label={`${t("metrics.atRisk.contacts")} (${period})`} value={formatNumber(ctx.locale, a.followUps.contacts)} help={`${t("metrics.atRisk.returned")}: ${formatNumber(ctx.locale, a.followUps.returned)} · ${t("metrics.atRisk.notReturned")}: ${formatNumber(ctx.locale, a.followUps.notReturned)} · ${t("metrics.atRisk.pending")}: ${formatNumber(ctx.locale, a.followUps.pending)}`} />
        <Figure label={t("metrics.atRisk.returnRate")} value={a.followUps.returnRate === null ? null : formatPercent(ctx.locale, a.followUps.returnRate)} help={t("metrics.atRisk.returnRateHelp")} />
      </dl>
      <p>
        <Link to="/admin/metrics/at-risk" className="btn btn-primary">
          {t("metrics.atRisk.open")}
        </Link>
      </p>
      {d.playbooks?.length ? (
        <div className="space-y-2">
          <p className="text-slate-700">{t("metrics.playbooks.help")}</p>
          <DataTableView table={tableOf(tables, "playbooks")} ctx={ctx} csv={csvHref("playbooks", search)} />
          <p>
            <Link to="/admin/playbooks">{t("metrics.playbooks.open")}</Link>
          </p>
        </div>
      ) : null}
    </Section>
  );
}

export function DashboardView({ data }: { data: DashboardPageData }) {
  const t = useT();
  const d = data.dashboard;
  const tables = useMemo(() => (d ? dashboardTables(d) : []), [d]);
  const search = useMemo(() => {
    const params = new URLSearchParams();
    if (data.period) {
      params.set("from", data.period.from);
      params.set("to", data.period.to);
      if (data.period.tier) params.set("tier", data.period.tier);
    }
    return params;
  }, [data.period]);
  const ctx = useCellContext(d?.tiers ?? [], d?.currency ?? "eur");
  return (
    <div className="space-y-10">
      <header className="space-y-2">
        <h1>{t("metrics.title")}</h1>
        <p className="text-slate-700">{t("metrics.intro")}</p>
        {data.isOwner ? null : <p className="text-slate-700">{t("metrics.curatorNote")}</p>}
      </header>
      <PeriodPicker data={data} />
      {d ? (
        <>
          <div className="space-y-1 text-slate-800">
            <p className="font-semibold">
              {t("metrics.period.summary", { from: formatDay(ctx.locale, d.period.from, { dateStyle: "long" }), to: formatDay(ctx.locale, d.period.to, { dateStyle: "long" }), timeZone: d.period.timeZone })}
            </p>
            <p>
              {d.period.countedToNow
                ? t("metrics.period.countedToNow", { asOf: formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone) })
                : t("metrics.period.closedAt", { asOf: formatDateTime(ctx.locale, d.period.asOf, d.period.timeZone) })}{" "}
              {t("metrics.period.months")}
            </p>
            <p>{t("metrics.computedAt", { time: formatDate(ctx.locale, d.computedAt, { hour: "2-digit", minute: "2-digit" }, d.period.timeZone) })}</p>
            <p>
              <a href={`/admin/metrics.json?${search}`}>{t("metrics.export.json")}</a>
            </p>
          </div>
          <KeyFigures d={d} />
          {d.nps ? <NpsSection d={d} tables={tables} search={search} /> : null}
          {d.retention ? <RetentionSection d={d} tables={tables} search={search} /> : null}
          {d.cohorts ? <CohortSection d={d} tables={tables} search={search} data={data} /> : null}
          {d.churn ? <ChurnSection d={d} tables={tables} search={search} /> : null}
          {d.revenue ? <RevenueSection d={d} tables={tables} search={search} /> : null}
          {d.ltv ? <LtvSection d={d} tables={tables} search={search} /> : null}
          {d.growth ? <GrowthSection d={d} tables={tables} search={search} /> : null}
          {d.engagement ? <EngagementSection d={d} tables={tables} search={search} /> : null}
          {d.atRisk ? <AtRiskSection d={d} tables={tables} search={search} /> : null}
        </>
      ) : (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-800">
          {t("metrics.period.invalid")}
        </p>
      )}
    </div>
  );
}
