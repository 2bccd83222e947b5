import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RoleAtCompany } from "~/ui/role-at-company";

describe("RoleAtCompany", () => {
  it("isolates each part, so a right-to-left override in the job title cannot reverse the company", () => {
    const html = renderToStaticMarkup(createElement(RoleAtCompany, { jobTitle: "CTO\u202E", company: "Acme" }));
    expect(html).toBe("<span><bdi>CTO\u202E</bdi></span><span>, <bdi>Acme</bdi></span>");
  });

  it("leaves out a part that is missing, and the comma with it", () => {
    expect(renderToStaticMarkup(createElement(RoleAtCompany, { jobTitle: null, company: "Acme" }))).toBe("<span><bdi>Acme</bdi></span>");
    expect(renderToStaticMarkup(createElement(RoleAtCompany, { jobTitle: "", company: "" }))).toBe("");
  });
});
