import { describe, expect, it } from "vitest";
import { appSources } from "../support/source-files";
import { FORM_VALIDATION } from "~/ui/form";

describe("how forms validate in the browser", () => {
  it("never on blur: that lost the first click after a refused submit (tests/e2e/forms.spec.ts)", () => {
    expect(FORM_VALIDATION).toEqual({ shouldValidate: "onSubmit", shouldRevalidate: "onInput" });
    const onBlur = appSources()
      .filter(({ text }) => /should(Re)?validate:\s*"onBlur"/.test(text))
      .map(({ file }) => file);
    expect(onBlur).toEqual([]);
  });
});
