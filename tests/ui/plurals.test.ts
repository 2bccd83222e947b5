import { describe, expect, it } from "vitest";
import { pluralCategory, translator } from "~/i18n/dictionary";

describe("plural rule (Intl.PluralRules in the translator)", () => {
  it("picks each language's category for a count", () => {
    expect([1, 2, 5, 21, 0].map((n) => pluralCategory("en", n))).toEqual(["one", "other", "other", "other", "other"]);
    expect([1, 2, 4, 5, 11, 21, 22, 25, 111, 0].map((n) => pluralCategory("ru", n))).toEqual([
      "one", "few", "few", "many", "many", "one", "few", "many", "many", "many",
    ]);
  });
});

describe("strings that use it", () => {
  const en = translator("en");
  const ru = translator("ru");

  it("the members count: 1 member, 2 members; 1 участник, 2 участника, 5 участников, 21 участник", () => {
    expect([1, 2, 5].map((count) => en("admin.membersCount", { count }))).toEqual(["1 member", "2 members", "5 members"]);
    expect([1, 2, 5, 11, 21].map((count) => ru("admin.membersCount", { count }))).toEqual([
      "1 участник",
      "2 участника",
      "5 участников",
      "11 участников",
      "21 участник",
    ]);
  });

  it("signed-in browsers on /account: no 'browser(s)'", () => {
    expect(en("account.sessionsHelp", { count: 1 })).toMatch(/^You are signed in on 1 browser\. /);
    expect(en("account.sessionsHelp", { count: 3 })).toMatch(/^You are signed in on 3 browsers\. /);
    expect(ru("account.sessionsHelp", { count: 1 })).toMatch(/^Вход выполнен в 1 браузере\. /);
    expect(ru("account.sessionsHelp", { count: 5 })).toMatch(/^Вход выполнен в 5 браузерах\. /);
  });

  it("members holding a tier", () => {
    expect(en("billing.tiers.membersNow", { count: 1 })).toBe("1 member holds this tier now.");
    expect(en("billing.tiers.membersNow", { count: 82 })).toBe("82 members hold this tier now.");
    expect([1, 2, 5, 21].map((count) => ru("billing.tiers.membersNow", { count }))).toEqual([
      "Этот уровень сейчас у 1 участника.",
      "Этот уровень сейчас у 2 участников.",
      "Этот уровень сейчас у 5 участников.",
      "Этот уровень сейчас у 21 участника.",
    ]);
  });

  it("no catalogue string hedges a count with (s) or (ах)", () => {
    for (const t of [en, ru]) {
      for (const key of ["admin.membersCount", "account.sessionsHelp", "billing.tiers.membersNow"] as const) {
        expect(t(key, { count: 2 })).not.toMatch(/\(s\)|\(ах\)|\{|#/);
      }
    }
  });
});
