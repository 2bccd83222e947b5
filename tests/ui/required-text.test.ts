import { describe, expect, it } from "vitest";
import { appSources } from "../support/source-files";
import { ProfileSchema } from "~/members/profile-form";
import { TierSchema } from "~/billing/schemas";
import { requiredText } from "~/ui/visible-text";

const INVISIBLE = ["", "   ", "\u200B", "\u2060\uFEFF", "\u00AD", "\u202E", "\u2800", "\u3164"];

describe("required text", () => {
  it.each(INVISIBLE)("refuses %j as required", (value) => {
    const result = requiredText(100).safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("form.required");
  });

  it("keeps visible text, trimmed, and refuses text over the maximum", () => {
    expect(requiredText(100).parse("  Irina  ")).toBe("Irina");
    expect(requiredText(3).safeParse("Irina").error?.issues[0]?.message).toBe('form.tooLong|{"max":3}');
  });

  it("is what the forms use: a name of zero-width spaces is refused on /account and on a tier", () => {
    expect(ProfileSchema.safeParse({ name: "\u200B\u200B", locale: "en" }).success).toBe(false);
    const tier = TierSchema.safeParse({ nameEn: "\u2060", nameRu: "Сообщество", currency: "EUR" });
    expect(tier.error?.issues.find((issue) => issue.path[0] === "nameEn")?.message).toBe("form.required");
  });

  it("no schema in app/ checks required text with .trim().min(1) any more", () => {
    const offenders = appSources()
      .filter(({ text }) => /\.trim\(\)\s*\.min\(1\b/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });
});
