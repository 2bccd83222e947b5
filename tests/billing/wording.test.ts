import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/dictionary";

/** The catalogue has no plural forms, so a count is written after a colon, where any number reads right. */
describe("counts in billing's wording", () => {
  it("read right for 1, 2 and 5 in both languages", () => {
    for (const count of [1, 2, 5]) {
      expect(translator("ru")("billing.includes.vouch", { count })).toBe(`Можно поручиться за новых участников: до ${count}`);
      expect(translator("en")("billing.includes.vouch", { count })).toBe(`New members you can vouch for: up to ${count}`);
      expect(translator("en")("billing.tiers.membersNow", { count })).toBe(`Members holding this tier now: ${count}.`);
    }
  });
});
