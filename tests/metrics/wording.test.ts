import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/dictionary";
import { presetPeriod } from "~/metrics/period";
import { monthInPhrase } from "~/metrics/ui";

describe("the dashboard's words", () => {
  it("puts Russian month names in the prepositional case after «в»", () => {
    const ru = translator("ru");
    expect(ru("metrics.engagement.contributedHelp", { month: monthInPhrase("ru", "2026-12-01"), members: "12" })).toBe(
      "Участники, которые писали, отвечали или голосовали в декабре 2026 г., из 12.",
    );
    expect(["2026-01-01", "2026-03-01", "2026-05-01", "2026-08-01"].map((m) => monthInPhrase("ru", m))).toEqual(["январе 2026 г.", "марте 2026 г.", "мае 2026 г.", "августе 2026 г."]);
    expect(translator("en")("metrics.engagement.contributedHelp", { month: monthInPhrase("en", "2026-12-01"), members: "12" })).toBe(
      "Members who posted, replied or voted in December 2026, of 12 members.",
    );
  });

  it("names each preset for the days it covers", () => {
    const today = "2026-12-02";
    expect(presetPeriod("quarter", today)).toEqual({ from: "2026-09-03", to: today });
    expect(presetPeriod("year", today)).toEqual({ from: "2025-12-03", to: today });
    const en = translator("en");
    const ru = translator("ru");
    expect([en("metrics.period.preset.quarter"), en("metrics.period.preset.year")]).toEqual(["Last 3 months", "Last 12 months"]);
    expect([ru("metrics.period.preset.quarter"), ru("metrics.period.preset.year")]).toEqual(["Последние 3 месяца", "Последние 12 месяцев"]);
  });
});
