import { describe, expect, it } from "vitest";
import { translator, type MessageKey } from "~/i18n/dictionary";
import { formatDate } from "~/i18n/format";
import { ru as admissionRu } from "~/i18n/locales/admission";

const ru = translator("ru");
const DATE = new Date("2026-11-27T10:00:00Z");

describe("Russian wording of admission", () => {
  it("writes no doubled full stop after «г.» when a date ends a sentence", () => {
    for (const dateStyle of ["long", "medium"] as const) {
      const date = formatDate("ru", DATE, { dateStyle });
      expect(date.endsWith("г.")).toBe(true);
      const decided = ru("admission.statusPage.decidedOn", { date });
      expect(decided).toBe(`Решение принято ${date}`.replace(/\.$/, "") + ".");
      expect(decided).not.toContain("..");
    }
    // Every admission message with a placeholder before a full stop, filled with a Russian date.
    const date = formatDate("ru", DATE, { dateStyle: "long" });
    for (const [key, template] of Object.entries(admissionRu)) {
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const text = ru(key as MessageKey, Object.fromEntries(names.map((name) => [name, date])));
      expect(text, key).not.toContain("г..");
    }
    // A value without its own full stop keeps the template's.
    expect(ru("admission.statusPage.decidedOn", { date: "27 ноября 2026" })).toBe("Решение принято 27 ноября 2026.");
  });

  it("names no member after «для» (a name there would need declining), and never guesses a gender with «поручился»", () => {
    for (const [key, template] of Object.entries(admissionRu)) {
      expect(template, key).not.toMatch(/для \{/);
      if (/\{(voucher|name)\}/.test(template)) expect(template, key).not.toMatch(/поручил(ся|ась)/);
    }
    expect(ru("admission.vouch.sent", { name: "Мария Орлова" })).toBe("Приглашение отправлено: Мария Орлова.");
    expect(ru("admission.email.vouch.body", { name: "Анна", voucher: "Мария Орлова", club: "Coterie" })).toContain("Мария Орлова, участник Coterie, рекомендует вас");
  });
});
