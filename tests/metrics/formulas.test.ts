import { describe, expect, it } from "vitest";
import { arpa, averageRate, churnRate, ltv, mrrFromAnnual, nps, npsClass, realizedLtv, retentionRate } from "~/metrics/formulas";
import { addMonths, isCalendarDate, periodSchema, presetPeriod, searchParamsForPeriod, todayIn } from "~/metrics/period";

describe("formulas: the seed talks' worked examples", () => {
  it("NPS: 70 % promoters − 10 % detractors = 60", () => {
    expect(nps({ promoters: 70, passives: 20, detractors: 10 })).toMatchObject({ promoterShare: 70, detractorShare: 10, score: 60 });
  });

  it("retention: 100 at start, 90 at end of whom 10 new = 80 %", () => {
    expect(retentionRate({ start: 100, end: 90, joined: 10 })).toBe(80);
  });

  it("LTV: ARPA 100 with 5 % monthly churn = 2,000 (minor units: 10 000 → 200 000)", () => {
    expect(ltv(10_000, 5)).toEqual({ value: 200_000, reason: "ok" });
  });
});

describe("formulas: nothing to divide by gives null, never NaN", () => {
  it("returns null shares and scores without answers", () => {
    expect(nps({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      promoters: 0,
      passives: 0,
      detractors: 0,
      responses: 0,
      promoterShare: null,
      passiveShare: null,
      detractorShare: null,
      score: null,
    });
    expect(retentionRate({ start: 0, end: 5, joined: 5 })).toBeNull();
    expect(churnRate({ start: 0, lost: 0 })).toBeNull();
    expect(arpa(0, 0)).toBeNull();
    expect(realizedLtv(0, 0)).toBeNull();
  });

  it("explains why LTV is missing", () => {
    expect(ltv(null, 5)).toEqual({ value: null, reason: "no-paying-members" });
    expect(ltv(10_000, null)).toEqual({ value: null, reason: "no-churn-data" });
    expect(ltv(10_000, 0)).toEqual({ value: null, reason: "no-churn" });
  });

  it("averages only the months that have a rate", () => {
    expect(averageRate([null, 4, 6, null])).toBe(5);
    expect(averageRate([null, null])).toBeNull();
  });

  it("classifies scores at the edges", () => {
    expect([0, 6, 7, 8, 9, 10].map(npsClass)).toEqual(["detractor", "detractor", "passive", "passive", "promoter", "promoter"]);
  });

  it("keeps MRR exact: a yearly price counts as price / 12", () => {
    expect(mrrFromAnnual(99_000)).toBe(8_250);
    expect(mrrFromAnnual(2_900 * 12 + 29_000)).toBe(2_900 + 2_417);
  });
});

describe("periods", () => {
  it("reads calendar dates strictly", () => {
    expect(isCalendarDate("2025-02-28")).toBe(true);
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2025-02-29")).toBe(false);
    expect(isCalendarDate("2025-13-01")).toBe(false);
    expect(isCalendarDate("25-01-01")).toBe(false);
    expect(isCalendarDate("2025-1-1")).toBe(false);
  });

  it("ends the presets today and clamps month ends", () => {
    expect(presetPeriod("30d", "2026-11-22")).toEqual({ from: "2026-10-24", to: "2026-11-22" });
    expect(presetPeriod("quarter", "2026-11-22")).toEqual({ from: "2026-08-23", to: "2026-11-22" });
    expect(presetPeriod("year", "2026-11-22")).toEqual({ from: "2025-11-23", to: "2026-11-22" });
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
  });

  it("takes today in the club's time zone", () => {
    const lateEvening = new Date("2026-11-22T22:30:00Z");
    expect(todayIn("UTC", lateEvening)).toBe("2026-11-22");
    expect(todayIn("Europe/Moscow", lateEvening)).toBe("2026-11-23");
  });

  it("puts each mistake next to its field", () => {
    const schema = periodSchema("2026-11-22");
    const errors = (input: Record<string, string>) => {
      const result = schema.safeParse(input);
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({ preset: "custom", from: "2026-05-01", to: "2026-04-01" })).toEqual({ to: "metrics.period.endBeforeStart" });
    expect(errors({ preset: "custom", from: "2026-02-30", to: "2026-04-01" })).toEqual({ from: "metrics.period.invalidDate" });
    expect(errors({ preset: "custom", from: "2026-12-01", to: "2026-12-31" })).toEqual({ from: "metrics.period.startsInFuture" });
    expect(errors({ preset: "custom", from: "2010-01-01", to: "2026-01-01" })).toEqual({ to: "metrics.period.tooLong" });
    expect(errors({ preset: "custom" })).toEqual({ from: "form.required", to: "form.required" });
    expect(schema.parse({ preset: "custom", from: "2026-01-01", to: "2026-12-31" })).toEqual({ preset: "custom", from: "2026-01-01", to: "2026-12-31", tier: null });
    expect(schema.parse({})).toMatchObject({ preset: "year", from: "2025-11-23", to: "2026-11-22" });
  });

  it("says only that a date is not a date, never how it compares with today or the other date", () => {
    const schema = periodSchema("2026-11-22");
    const messages = (input: Record<string, string>) => {
      const result = schema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(messages({ preset: "custom", from: "garbage", to: "2026-01-01" })).toEqual(["from: metrics.period.invalidDate"]);
    expect(messages({ preset: "custom", from: "2026-01-01", to: "2026-13-01" })).toEqual(["to: metrics.period.invalidDate"]);
    expect(messages({ preset: "custom", from: "x" })).toEqual(["from: metrics.period.invalidDate", "to: form.required"]);
  });

  it("treats bare from/to in an export's query as a custom period", () => {
    expect(searchParamsForPeriod(new URLSearchParams("from=2026-01-01&to=2026-02-01")).get("preset")).toBe("custom");
    expect(searchParamsForPeriod(new URLSearchParams("")).has("preset")).toBe(false);
  });
});
