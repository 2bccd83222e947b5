import { Link } from "@remix-run/react";
import { useId, type ReactNode } from "react";
import { formatDate, formatMoney, formatNumber, formatPercent, useLocale, useT, type Locale, type MessageKey, type Translate } from "~/i18n/i18n";
import type { TierRef } from "./dashboard.server";
import type { Cell, Column, MetricsTable } from "./tables";

/** Building blocks of the metrics pages: formatted cells, data tables, SVG charts, a heat map. */

export type CellContext = { locale: Locale; t: Translate; tiers: TierRef[]; currency: string };

/** A calendar date (YYYY-MM-DD) in the reader's language; calendar dates carry no zone. */
export function formatDay(locale: Locale, day: string, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }) {
  return formatDate(locale, `${day}T00:00:00Z`, options, "UTC");
}

export function formatMonth(locale: Locale, month: string, style: "long" | "short" = "short") {
  return formatDay(locale, month, { month: style, year: "numeric" });
}

// Russian month names after «в» take the prepositional case: «в декабре», not «в декабрь».
const RU_MONTHS_IN = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"];

/** A month as it reads after "in" / «в» in a sentence: "December 2026", «декабре 2026 г.». */
export function monthInPhrase(locale: Locale, month: string) {
  if (locale === "ru") return `${RU_MONTHS_IN[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)} г.`;
  return formatMonth(locale, month, "long");
}

export function tierName(ctx: Pick<CellContext, "locale" | "t" | "tiers">, tierId: string | null) {
  const tier = ctx.tiers.find((t) => t.id === tierId);
  if (!tier) return ctx.t("metrics.tier.none");
  return ctx.locale === "ru" ? tier.nameRu : tier.nameEn;
}

/** A value as text, or null when there is none ("not enough data"). */
export function cellText(ctx: CellContext, column: Pick<Column, "type">, value: Cell): string | null {
  if (value === null || value === undefined) return column.type === "tier" ? tierName(ctx, null) : null;
  switch (column.type) {
    case "month":
      return formatMonth(ctx.locale, String(value));
    case "tier":
      return tierName(ctx, String(value));
    case "tenure":
      return ctx.t(`metrics.tenure.${String(value)}` as MessageKey);
    case "int":
      return formatNumber(ctx.locale, Number(value));
    case "decimal":
      return formatNumber(ctx.locale, Number(value), { maximumFractionDigits: 2 });
    case "percent":
      return formatPercent(ctx.locale, Number(value));
    case "nps":
      return formatNumber(ctx.locale, Number(value), { maximumFractionDigits: 1, signDisplay: "exceptZero" });
    case "money":
      return formatMoney(ctx.locale, Math.round(Number(value)), ctx.currency);
    case "bool":
      return value ? ctx.t("metrics.yes") : ctx.t("metrics.no");
    case "date":
      return formatDay(ctx.locale, String(value));
    default:
      return String(value);
  }
}

/** An empty value: a dash on screen, words for screen readers. */
export function NoValue() {
  const t = useT();
  return (
    <>
      <span aria-hidden="true">{t("metrics.none")}</span>
      <span className="sr-only">{t("metrics.notEnoughData")}</span>
    </>
  );
}

export function Value({ text }: { text: string | null }) {
  return text === null ? <NoValue /> : <>{text}</>;
}

export function useCellContext(tiers: TierRef[], currency: string): CellContext {
  const locale = useLocale();
  const t = useT();
  return { locale, t, tiers, currency };
}

const numeric = new Set(["int", "decimal", "percent", "nps", "money"]);

export function csvHref(table: string, search: URLSearchParams) {
  const params = new URLSearchParams(search);
  params.set("table", table);
  return `/admin/metrics.csv?${params}`;
}

/** A table of figures with its caption and a CSV link. */
export function DataTableView({ table, ctx, csv }: { table: MetricsTable; ctx: CellContext; csv?: string }) {
  const title = ctx.t(table.title);
  return (
    <div className="metrics-table">
      {/* Focusable, so a keyboard can scroll a table wider than the screen. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={title}>
        <table className="table">
          <caption className="metrics-caption">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((column, i) => (
                <th key={i} scope="col" className={numeric.has(column.type) ? "text-right" : undefined}>
                  {ctx.t(column.label, column.values)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((value, c) => {
                  const column = table.columns[c];
                  const content = <Value text={cellText(ctx, column, value)} />;
                  return c === 0 ? (
                    <th key={c} scope="row" className="font-medium">
                      {content}
                    </th>
                  ) : (
                    <td key={c} className={numeric.has(column.type) ? "text-right tabular-nums" : undefined}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          {table.footer ? (
            <tfoot>
              <tr>
                <th scope="row" className="font-semibold">
                  {ctx.t(table.footer.label)}
                </th>
                {table.footer.cells.map((value, c) => {
                  const column = table.columns[c + 1];
                  return (
                    <td key={c} className={`font-semibold${numeric.has(column.type) ? " text-right tabular-nums" : ""}`}>
                      {value === null ? null : <Value text={cellText(ctx, column, value)} />}
                    </td>
                  );
                })}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      {csv ? (
        <p className="mt-2 text-sm">
          <a href={csv} download>
            {ctx.t("metrics.export.csvOf", { table: title })}
          </a>
        </p>
      ) : null}
    </div>
  );
}

const SERIES_COLORS = ["#4338ca", "#0f766e", "#b45309"];

function niceStep(span: number) {
  const raw = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const step = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5 : normalized <= 5 ? 5 : 10;
  return step * magnitude;
}

/** Axis ticks that cover the values, with 0 included. */
export function ticks(values: number[], fixed?: [number, number]): number[] {
  let [lo, hi] = fixed ?? [Math.min(0, ...values), Math.max(0, ...values)];
  if (lo === hi) hi = lo + 1;
  const step = niceStep(hi - lo);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const out: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

type Frame = {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
  axis: number[];
  labels: string[];
  slot: number;
  x: (i: number) => number;
  y: (v: number) => number;
};

/** The geometry every chart shares: one slot per month across, the axis's range up. */
function chartFrame({ width, height, pad, axis, labels }: Pick<Frame, "width" | "height" | "pad" | "axis" | "labels">): Frame {
  const lo = axis[0];
  const hi = axis[axis.length - 1];
  const innerH = height - pad.top - pad.bottom;
  const slot = (width - pad.left - pad.right) / Math.max(1, labels.length);
  return {
    width,
    height,
    pad,
    axis,
    labels,
    slot,
    x: (i) => pad.left + slot * i + slot / 2,
    y: (v) => pad.top + innerH - ((v - lo) / (hi - lo)) * innerH,
  };
}

/** A chart's image: its title and text summary, the grid with the axis values, the month labels (at most 12), then the marks. */
function ChartSvg({ frame, title, summary, format, children }: { frame: Frame; title: string; summary: string; format: (value: number) => string; children: ReactNode }) {
  const id = useId();
  const { width, height, pad, axis, labels, x, y } = frame;
  const every = Math.ceil(labels.length / 12);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="metrics-chart" role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{summary}</desc>
      {axis.map((v) => (
        <g key={v}>
          <line x1={pad.left} x2={width - pad.right} y1={y(v)} y2={y(v)} stroke={v === 0 ? "#64748b" : "#e2e8f0"} strokeWidth={1} />
          <text x={pad.left - 8} y={y(v)} dy="0.32em" textAnchor="end" fontSize={12} fill="#334155">
            {format(v)}
          </text>
        </g>
      ))}
      {labels.map((label, i) =>
        i % every === 0 ? (
          <text key={i} x={x(i)} y={height - pad.bottom + 20} textAnchor="middle" fontSize={12} fill="#334155">
            {label}
          </text>
        ) : null,
      )}
      {children}
    </svg>
  );
}

export type Series = { name: string; values: Array<number | null> };

/**
 * A trend over months, drawn on the server as SVG: lines for levels (MRR, NPS), bars for
 * rates that stand alone (churn). It is an image with a text summary; the table beside it
 * holds every number.
 */
export function TrendChart({
  title,
  labels,
  series,
  format,
  kind = "line",
  domain,
}: {
  title: string;
  labels: string[];
  series: Series[];
  format: (value: number) => string;
  kind?: "line" | "bar";
  domain?: [number, number];
}) {
  const t = useT();
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  if (!values.length) {
    return <p className="text-slate-700">{t("metrics.chart.empty")}</p>;
  }
  const frame = chartFrame({ width: 640, height: 240, pad: { left: 72, right: 16, top: 16, bottom: 40 }, axis: ticks(values, domain), labels });
  const { height, pad, x, y, slot } = frame;
  const latest = [...series[0].values].reverse().find((v): v is number => v !== null);
  const summary = t("metrics.chart.summary", {
    title,
    first: labels[0],
    last: labels[labels.length - 1],
    min: format(Math.min(...values)),
    max: format(Math.max(...values)),
    latest: latest === undefined ? t("metrics.none") : format(latest),
  });
  const barWidth = Math.min(36, (slot * 0.7) / series.length);
  return (
    <ChartSvg frame={frame} title={title} summary={summary} format={format}>
      {series.map((s, si) => {
        const color = SERIES_COLORS[si % SERIES_COLORS.length];
        if (kind === "bar") {
          return (
            <g key={s.name} fill={color}>
              {s.values.map((v, i) =>
                v === null ? null : (
                  <rect
                    key={i}
                    x={x(i) - (barWidth * series.length) / 2 + barWidth * si}
                    y={Math.min(y(v), y(0))}
                    width={barWidth}
                    height={Math.max(1, Math.abs(y(v) - y(0)))}
                  >
                    <title>{`${s.name}, ${labels[i]}: ${format(v)}`}</title>
                  </rect>
                ),
              )}
            </g>
          );
        }
        // Lines break where a month has no value.
        const segments: Array<Array<[number, number]>> = [[]];
        s.values.forEach((v, i) => {
          if (v === null) segments.push([]);
          else segments[segments.length - 1].push([x(i), y(v)]);
        });
        return (
          <g key={s.name}>
            {segments
              .filter((seg) => seg.length > 1)
              .map((seg, k) => (
                <polyline key={k} points={seg.map(([px, py]) => `${px},${py}`).join(" ")} fill="none" stroke={color} strokeWidth={2.5} />
              ))}
            {s.values.map((v, i) =>
              v === null ? null : (
                <circle key={i} cx={x(i)} cy={y(v)} r={3.5} fill={color}>
                  <title>{`${s.name}, ${labels[i]}: ${format(v)}`}</title>
                </circle>
              ),
            )}
          </g>
        );
      })}
      {series.length > 1
        ? series.map((s, si) => (
            <g key={s.name} transform={`translate(${pad.left + si * 180}, ${height - 8})`}>
              <rect width={12} height={12} y={-10} fill={SERIES_COLORS[si % SERIES_COLORS.length]} />
              <text x={18} fontSize={12} fill="#334155">
                {s.name}
              </text>
            </g>
          ))
        : null}
    </ChartSvg>
  );
}

export type StackedBand = { name: string; color: string; sign: 1 | -1; values: number[] };

/**
 * Revenue movements as ChartMogul draws them: per month, the gains stacked above zero and the
 * losses below, drawn on the server as SVG. Each band has a legend entry and each bar a title;
 * the table beside it holds every number.
 */
export function StackedBarChart({ title, summary, labels, bands, format }: { title: string; summary: string; labels: string[]; bands: StackedBand[]; format: (value: number) => string }) {
  const t = useT();
  const up = labels.map((_, i) => bands.filter((b) => b.sign > 0).reduce((sum, b) => sum + b.values[i], 0));
  const down = labels.map((_, i) => bands.filter((b) => b.sign < 0).reduce((sum, b) => sum + b.values[i], 0));
  if (!labels.length || (Math.max(0, ...up) === 0 && Math.max(0, ...down) === 0)) {
    return <p className="text-slate-700">{t("metrics.chart.empty")}</p>;
  }
  const frame = chartFrame({ width: 640, height: 280, pad: { left: 80, right: 16, top: 16, bottom: 64 }, axis: ticks([...up, ...down.map((v) => -v)]), labels });
  const { height, pad, x, y, slot } = frame;
  const barWidth = Math.min(40, slot * 0.7);
  // Signs only where gains meet losses: a chart of counts that only add up (new members by route) has none.
  const signed = bands.some((b) => b.sign < 0);
  const sign = (band: StackedBand) => (signed ? (band.sign > 0 ? "+" : "−") : "");
  const rects: ReactNode[] = [];
  labels.forEach((label, i) => {
    let above = 0;
    let below = 0;
    for (const band of bands) {
      const v = band.values[i];
      if (!(v > 0)) continue;
      const from = band.sign > 0 ? above : -below;
      const to = band.sign > 0 ? above + v : -(below + v);
      if (band.sign > 0) above += v;
      else below += v;
      rects.push(
        <rect key={`${band.name}-${i}`} x={x(i) - barWidth / 2} y={Math.min(y(from), y(to))} width={barWidth} height={Math.max(1, Math.abs(y(to) - y(from)))} fill={band.color}>
          <title>{`${band.name}, ${label}: ${sign(band)}${format(v)}`}</title>
        </rect>,
      );
    }
  });
  return (
    <ChartSvg frame={frame} title={title} summary={summary} format={format}>
      {rects}
      {bands.map((band, bi) => (
        <g key={band.name} transform={`translate(${pad.left + (bi % 3) * 180}, ${height - 28 + Math.floor(bi / 3) * 18})`}>
          <rect width={12} height={12} y={-10} fill={band.color} />
          <text x={18} fontSize={12} fill="#334155">
            {signed ? `${sign(band)} ${band.name}` : band.name}
          </text>
        </g>
      ))}
    </ChartSvg>
  );
}

/** A chart and the table it is drawn from, under one heading. */
export function ChartWithTable({ heading, chart, table }: { heading: string; chart: ReactNode; table: ReactNode }) {
  return (
    <div className="metrics-block">
      <h3>{heading}</h3>
      <figure className="mt-3">{chart}</figure>
      <div className="mt-3">{table}</div>
    </div>
  );
}

/** Background and text colours for a share from 0 to 100, dark enough to read at every step. */
export function heatColor(share: number): { background: string; color: string } {
  // Light steps carry dark text, dark steps white text; each pair is at least 4.5:1.
  const steps = ["#eef2ff", "#e0e7ff", "#c7d2fe", "#a5b4fc", "#818cf8", "#4f46e5", "#4338ca", "#3730a3", "#312e81", "#1e1b4b"];
  const index = Math.min(steps.length - 1, Math.max(0, Math.floor(share / 10)));
  return { background: steps[index], color: index >= 5 ? "#ffffff" : "#1e1b4b" };
}

/** The cohort table as a heat map: a real table, each cell shaded by its share. */
export function CohortHeatmap({ table, ctx, csv }: { table: MetricsTable; ctx: CellContext; csv: string }) {
  const title = ctx.t(table.title);
  return (
    <div className="metrics-table">
      {/* Focusable, so a keyboard can scroll a table wider than the screen. */}
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={title}>
        <table className="table metrics-heatmap">
          <caption className="metrics-caption">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((column, i) => (
                <th key={i} scope="col" className={i > 0 ? "text-right" : undefined}>
                  {ctx.t(column.label, column.values)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                <th scope="row" className="font-medium whitespace-nowrap">
                  {cellText(ctx, table.columns[0], row[0])}
                </th>
                <td className="text-right tabular-nums">{cellText(ctx, table.columns[1], row[1])}</td>
                {row.slice(2).map((value, c) =>
                  value === null ? (
                    <td key={c} className="text-right">
                      <NoValue />
                    </td>
                  ) : (
                    <td key={c} className="text-right tabular-nums" style={heatColor(Number(value))}>
                      {cellText(ctx, { type: "percent" }, value)}
                      {table.partial?.[r]?.[c + 2] ? (
                        <>
                          <span aria-hidden="true">*</span>
                          <span className="sr-only"> ({ctx.t("metrics.cohorts.maturing")})</span>
                        </>
                      ) : null}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          {table.footer ? (
            <tfoot>
              <tr>
                <th scope="row" className="font-semibold">
                  {ctx.t(table.footer.label)}
                </th>
                <td />
                {table.footer.cells.slice(1).map((value, c) => (
                  <td key={c} className="text-right font-semibold tabular-nums">
                    {value === null ? <NoValue /> : cellText(ctx, { type: "percent" }, value)}
                  </td>
                ))}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
      {table.partial?.some((row) => row.some(Boolean)) ? <p className="mt-2 text-sm text-slate-700">{ctx.t("metrics.cohorts.maturingNote")}</p> : null}
      <p className="mt-2 text-sm">
        <a href={csv} download>
          {ctx.t("metrics.export.csvOf", { table: title })}
        </a>
      </p>
    </div>
  );
}

/** A headline figure: its name, its value (or "not enough data"), and what it is computed from. */
export function Figure({ label, value, help, change, partial }: { label: string; value: string | null; help?: ReactNode; change?: ReactNode; partial?: string | null }) {
  const t = useT();
  return (
    <div className="card">
      <dt className="text-sm font-medium text-slate-700">
        {label}
        {partial ? (
          <span className="ml-2 rounded border border-amber-700 px-1 text-xs font-semibold text-amber-900" title={partial}>
            {t("metrics.partial.badge")}
          </span>
        ) : null}
      </dt>
      <dd className="mt-1 text-2xl font-bold tabular-nums text-slate-900">{value ?? t("metrics.notEnoughData")}</dd>
      {change ? <dd className="mt-1 text-sm text-slate-800">{change}</dd> : null}
      {partial ? <dd className="sr-only">{partial}</dd> : null}
      {help ? <dd className="mt-1 text-sm text-slate-700">{help}</dd> : null}
    </div>
  );
}

export function Pagination({ page, pageCount, href }: { page: number; pageCount: number; href: (page: number) => string }) {
  const t = useT();
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={t("metrics.page.label")} className="mt-4 flex items-center gap-4 text-sm">
      {page > 1 ? <Link to={href(page - 1)}>{t("metrics.page.previous")}</Link> : null}
      <span>{t("metrics.page.of", { page, count: pageCount })}</span>
      {page < pageCount ? <Link to={href(page + 1)}>{t("metrics.page.next")}</Link> : null}
    </nav>
  );
}
