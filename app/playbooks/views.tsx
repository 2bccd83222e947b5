import { formatNumber, formatPercent, useLocale, useT, type MessageKey } from "~/i18n/i18n";
import { EXIT_REASONS } from "./forms";
import { MIN_GROUP_SIZE, type ControlGroupFigures } from "./outcomes";

/** A playbook's trigger in words: "No activity for 21 days", "Became a detractor". */
export function TriggerWords({ trigger, days }: { trigger: string; days: number | null }) {
  const t = useT();
  if ((trigger === "INACTIVE" || trigger === "JOINED") && days !== null) return <>{t(`playbooks.triggerWords.${trigger}`, { days })}</>;
  return <>{t(`playbooks.trigger.${trigger}` as MessageKey)}</>;
}

function rate(locale: ReturnType<typeof useLocale>, value: number | null) {
  return value === null ? "—" : formatPercent(locale, value * 100);
}

/** "34 % vs 21 %" (followed vs held out), or "not enough data yet". */
export function ReturnRates({ control }: { control: ControlGroupFigures }) {
  const t = useT();
  const locale = useLocale();
  if (!control.enoughData) return <span className="text-slate-700">{t("playbooks.notEnoughShort")}</span>;
  return <>{t("playbooks.returnRate", { followed: rate(locale, control.followed.rate), heldOut: rate(locale, control.heldOut.rate) })}</>;
}

/** Percentage points, signed: "+12.3", "−4". */
function points(locale: ReturnType<typeof useLocale>, value: number) {
  return formatNumber(locale, value * 100, { maximumFractionDigits: 1, signDisplay: "exceptZero" });
}

/** The control group's table and the difference with its interval, or why there is none yet. */
export function ControlGroup({ control }: { control: ControlGroupFigures }) {
  const t = useT();
  const locale = useLocale();
  const rows = [
    ["playbooks.outcomes.followed", control.followed],
    ["playbooks.outcomes.heldOut", control.heldOut],
  ] as const;
  return (
    <section className="card space-y-3" aria-labelledby="control-title" data-testid="control-group">
      <h2 id="control-title">{t("playbooks.outcomes.title")}</h2>
      <p className="text-slate-700">{t("playbooks.outcomes.intro")}</p>
      <table className="w-full text-left">
        <thead>
          <tr>
            <th scope="col">{t("playbooks.outcomes.group")}</th>
            <th scope="col">{t("playbooks.outcomes.runs")}</th>
            <th scope="col">{t("playbooks.outcomes.returned")}</th>
            <th scope="col">{t("playbooks.outcomes.rate")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, group]) => (
            <tr key={label} className="border-t border-slate-200">
              <th scope="row" className="py-2 pr-4 font-normal">
                {t(label)}
              </th>
              <td className="py-2 pr-4">{formatNumber(locale, group.runs)}</td>
              <td className="py-2 pr-4">{formatNumber(locale, group.returned)}</td>
              <td className="py-2">{rate(locale, group.rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {control.difference ? (
        <>
          <p className="font-semibold">
            {t("playbooks.outcomes.difference", {
              difference: points(locale, control.difference.difference),
              lower: points(locale, control.difference.lower),
              upper: points(locale, control.difference.upper),
            })}
          </p>
          <p className="help">{t("playbooks.outcomes.differenceHelp")}</p>
        </>
      ) : (
        <>
          <p className="font-semibold">{t("playbooks.outcomes.notEnough", { min: MIN_GROUP_SIZE })}</p>
          <p className="help">{t("playbooks.outcomes.why", { min: MIN_GROUP_SIZE })}</p>
        </>
      )}
      {control.stillRunning > 0 ? <p className="text-sm text-slate-700">{t("playbooks.outcomes.stillRunning", { count: control.stillRunning })}</p> : null}
    </section>
  );
}

type Stats = {
  entered: number;
  active: number;
  completed: number;
  exits: Partial<Record<string, number>>;
  sent: Record<"IN_APP" | "EMAIL" | "TELEGRAM", number>;
};

/** Runs entered, active, completed, exits by reason and messages sent by channel. */
export function RunStats({ stats }: { stats: Stats }) {
  const t = useT();
  const locale = useLocale();
  const exits = EXIT_REASONS.filter((reason) => stats.exits[reason]);
  return (
    <section className="card space-y-3" aria-labelledby="stats-title">
      <h2 id="stats-title">{t("playbooks.stats.title")}</h2>
      <dl className="grid grid-cols-3 gap-4">
        {(
          [
            ["playbooks.stats.entered", stats.entered],
            ["playbooks.stats.active", stats.active],
            ["playbooks.stats.completed", stats.completed],
          ] as const
        ).map(([label, value]) => (
          <div key={label}>
            <dt className="text-sm text-slate-700">{t(label)}</dt>
            <dd className="text-2xl font-semibold">{formatNumber(locale, value)}</dd>
          </div>
        ))}
      </dl>
      <h3 className="font-semibold">{t("playbooks.stats.exits")}</h3>
      {exits.length ? (
        <ul>
          {exits.map((reason) => (
            <li key={reason}>
              {t(`playbooks.exit.${reason}` as MessageKey)}: {formatNumber(locale, stats.exits[reason] ?? 0)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-700">{t("playbooks.stats.noExits")}</p>
      )}
      <h3 className="font-semibold">{t("playbooks.stats.sent")}</h3>
      <ul>
        {(["IN_APP", "EMAIL", "TELEGRAM"] as const).map((channel) => (
          <li key={channel}>
            {t(`playbooks.channel.${channel}`)}: {formatNumber(locale, stats.sent[channel])}
          </li>
        ))}
      </ul>
    </section>
  );
}
