import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FORM_VALIDATION } from "~/ui/form";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("how forms validate in the browser", () => {
  it("never on blur: that lost the first click after a refused submit (tests/e2e/forms.spec.ts)", () => {
    expect(FORM_VALIDATION).toEqual({ shouldValidate: "onSubmit", shouldRevalidate: "onInput" });
    const onBlur = sourceFiles(path.resolve(import.meta.dirname, "../../app")).filter((file) =>
      /should(Re)?validate:\s*"onBlur"/.test(readFileSync(file, "utf8")),
    );
    expect(onBlur).toEqual([]);
  });
});
