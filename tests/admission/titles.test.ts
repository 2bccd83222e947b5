import { describe, expect, it } from "vitest";
import type { MetaFunction } from "@remix-run/node";
import { translator, type MessageKey } from "~/i18n/dictionary";
import * as account from "~/routes/account";
import * as admin from "~/routes/admin._index";
import * as criteria from "~/routes/admin.applications.criteria";
import * as applications from "~/routes/admin.applications._index";
import * as invites from "~/routes/admin.invites._index";
import * as outbox from "~/routes/admin.outbox";
import * as forgot from "~/routes/forgot-password";
import * as vouch from "~/routes/members.vouch";

const PAGES: Array<[string, { meta?: MetaFunction }, MessageKey]> = [
  ["/admin", admin, "admin.title"],
  ["/admin/applications", applications, "admission.queue.title"],
  ["/admin/applications/criteria", criteria, "admission.criteria.title"],
  ["/admin/invites", invites, "admission.invites.title"],
  ["/admin/outbox", outbox, "admission.outbox.title"],
  ["/account", account, "account.title"],
  ["/forgot-password", forgot, "admission.forgot.title"],
  ["/members/vouch", vouch, "admission.vouch.title"],
];

function titleOf(route: { meta?: MetaFunction }, locale: "en" | "ru") {
  const matches = [{ id: "root", data: { locale, timeZone: "UTC" } }];
  const tags = route.meta?.({ matches, data: undefined, params: {}, location: {}, error: undefined } as unknown as Parameters<MetaFunction>[0]) ?? [];
  return (tags.find((tag) => "title" in tag) as { title?: string } | undefined)?.title;
}

describe("page titles", () => {
  it.each(PAGES)("%s has its own title, in the reader's language, the same as its heading", (_path, route, key) => {
    expect(titleOf(route, "en")).toBe(translator("en")(key));
    expect(titleOf(route, "ru")).toBe(translator("ru")(key));
    expect(titleOf(route, "ru")).not.toBe(titleOf(route, "en"));
  });
});
