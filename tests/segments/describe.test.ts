import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/dictionary";
import { describeFilter } from "~/segments/describe";
import type { SegmentFilter } from "~/segments/filter";
import { memberName } from "~/ui/member-name";

const tiers = [
  { id: "t1", nameEn: "Community", nameRu: "Сообщество" },
  { id: "t2", nameEn: "Professional", nameRu: "Профессионал" },
];
const vouchers = [
  { id: "v1", name: "Вера Петрова" },
  { id: "v2", name: "" },
];
const words = (filter: SegmentFilter, locale: "en" | "ru") => {
  const t = translator(locale);
  return describeFilter(filter, { t, locale, tiers, vouchers, memberName: (name) => memberName(name, t) });
};

describe("a segment's filter in words", () => {
  it("says every condition in the reader's language, with Russian plural forms", () => {
    const filter: SegmentFilter = { tierIds: ["t1", "t2"], tenureMonths: { min: 2 }, locale: "ru", npsGroups: ["DETRACTOR", "NONE"], inactiveDays: { min: 21 }, vouchedBy: "v1", telegramLinked: false };
    expect(words(filter, "en")).toBe(
      "hold Community or Professional; joined at least 2 months ago; read Russian; latest survey answer: Detractor (0–6) or Never answered; quiet for at least 21 days; joined through Вера Петрова's vouch; have not linked Telegram",
    );
    expect(words(filter, "ru")).toBe(
      "с уровнем Сообщество или Профессионал; вступили не меньше 2 месяцев назад; язык: русский; последний ответ в опросе: Критик (0–6) или Не отвечал; не проявляли активности не меньше 21 дня; вступили по рекомендации: Вера Петрова; не привязали Telegram",
    );
    expect(words({ tenureMonths: { min: 1 } }, "ru")).toBe("вступили не меньше 1 месяца назад");
    expect(words({ tenureMonths: { min: 5 } }, "ru")).toBe("вступили не меньше 5 месяцев назад");
    expect(words({ tenureMonths: { max: 0 } }, "ru")).toBe("вступили меньше 1 месяца назад");
    expect(words({ inactiveDays: { max: 3 } }, "ru")).toBe("не проявляли активности не больше 3 дней");
    expect(words({ inactiveDays: { min: 7, max: 30 } }, "en")).toBe("quiet for 7 to 30 days");
  });

  it("names an erased voucher as a former member, a missing tier as gone, and no condition as everyone", () => {
    expect(words({ vouchedBy: "v2" }, "en")).toBe("joined through Former member's vouch");
    expect(words({ vouchedBy: "ANY" }, "ru")).toBe("вступили по рекомендации участника");
    expect(words({ tierIds: ["gone"] }, "en")).toBe("hold a tier that no longer exists");
    expect(words({}, "ru")).toBe("все действующие участники");
  });
});
