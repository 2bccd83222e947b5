import { describe, expect, it } from "vitest";
import { paymentDescription } from "~/billing/ui";
import { translator } from "~/i18n/dictionary";

const professional = { nameEn: "Professional", nameRu: "Профессионал" };

describe("payment history lines", () => {
  it.each([
    ["en", null, "Membership payment"],
    ["ru", null, "Оплата членства"],
    ["en", professional, "Professional membership"],
    ["ru", professional, "Членство Профессионал"],
  ] as const)("%s, tier %j: %s", (locale, tier, line) => {
    const text = paymentDescription(translator(locale), locale, { kind: "INVOICE_PAID", tier });
    expect(text).toBe(line);
    // Never the word twice ("Membership membership", «Членство Членство»).
    expect(text.toLowerCase()).not.toMatch(/(membership|членство).*\1/);
  });

  it("a refund says so in both languages", () => {
    expect(paymentDescription(translator("en"), "en", { kind: "REFUND", tier: professional })).toBe("Refund");
    expect(paymentDescription(translator("ru"), "ru", { kind: "REFUND", tier: null })).toBe("Возврат");
  });
});
