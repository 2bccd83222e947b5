import { beforeAll, describe, expect, it } from "vitest";
import { loader as dashboardLoader } from "~/routes/admin.metrics";
import { loader as csvLoader } from "~/routes/admin.metrics[.]csv";
import { loader as jsonLoader } from "~/routes/admin.metrics[.]json";
import type { DashboardPageData } from "~/metrics/dashboard-view";
import { addActivity, addLedgerEntry, addMembership, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
let owner = "";
let curator = "";
let plainMember = "";

beforeAll(async () => {
  await ensureClubSettings();
  const o = await createUser({ role: "OWNER", tier: null });
  const c = await createUser({ role: "CURATOR", tier: null });
  const m = await createUser({ tier: null, name: "=HYPERLINK(\"http://evil.example\")" });
  await addMembership(m.id, { tier: "professional", startedAt: daysAgo(200) });
  await addLedgerEntry(m.id, { amount: 9_900, occurredAt: daysAgo(100) });
  await addActivity(m.id, "POST", daysAgo(60));
  [owner, curator, plainMember] = await Promise.all([sessionCookie(o.id), sessionCookie(c.id), sessionCookie(m.id)]);
});

const get = (path: string, cookie?: string) => routeArgs(appRequest(path, { cookie }));

describe("/admin/metrics", () => {
  it("shows owners every section, for the last twelve months by default", async () => {
    const page = (await dashboardLoader(get("/admin/metrics", owner))) as DashboardPageData;
    expect(page.preset).toBe("year");
    expect(page.dashboard!.sections).toEqual(["nps", "retention", "cohorts", "churn", "revenue", "ltv", "growth", "engagement", "atRisk"]);
    expect(page.dashboard!.revenue!.atEnd).toEqual({ mrr: 9_900, paying: 1, arpa: 9_900 });
  });

  it("shows curators engagement and the at-risk summary only", async () => {
    const page = (await dashboardLoader(get("/admin/metrics", curator))) as DashboardPageData;
    expect(page.isOwner).toBe(false);
    const shown = Object.keys(page.dashboard!).filter((k) => ["nps", "retention", "cohorts", "churn", "revenue", "ltv", "growth", "engagement", "atRisk"].includes(k));
    expect(shown.sort()).toEqual(["atRisk", "engagement"]);
  });

  it("answers a bad period with 400 and the message next to the field", async () => {
    const result = (await dashboardLoader(get("/admin/metrics?preset=custom&from=2026-05-01&to=2026-04-01", owner))) as unknown as {
      data: DashboardPageData;
      init: { status: number };
    };
    expect(result.init.status).toBe(400);
    expect(result.data.dashboard).toBeNull();
    expect(result.data.result!.error).toMatchObject({ to: ["metrics.period.endBeforeStart"] });
  });

  it("refuses members and sends visitors to sign in", async () => {
    expect(((await settle(dashboardLoader(get("/admin/metrics", plainMember)))) as Response).status).toBe(403);
    const visitor = (await settle(dashboardLoader(get("/admin/metrics")))) as Response;
    expect(visitor.status).toBe(302);
  });
});

describe("/admin/metrics.json", () => {
  it("returns the figures with their inputs for a period", async () => {
    const from = daysAgo(365).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const response = (await jsonLoader(get(`/admin/metrics.json?from=${from}&to=${to}`, owner))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
    const body = await response.json();
    expect(body.period).toMatchObject({ from, to, timeZone: "UTC", countedToNow: true });
    expect(body.revenue.atEnd).toEqual({ mrr: 9_900, paying: 1, arpa: 9_900 });
    // The member joined 200 days ago: new in this year, so there is no one at its start to retain.
    expect(body.retention).toEqual({ start: 0, end: 1, joined: 1, retained: 0, rate: null, byTier: expect.any(Array) });
    expect(body.ltv.realized).toEqual({ netPaid: 9_900, members: 1, value: 9_900 });
    expect(body.ltv).toMatchObject({ value: null, reason: "no-churn" });
    // Against the previous period of the same length (366 days counted up to today), before the member joined.
    const dayBefore = new Date(Date.parse(`${from}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    const yearBefore = new Date(Date.parse(`${from}T00:00:00Z`) - 366 * DAY).toISOString().slice(0, 10);
    expect(body.comparison).toMatchObject({ from: yearBefore, to: dayBefore });
    expect(body.comparison.previous).toMatchObject({ mrr: 0, arpa: null, nps: null, active: 0 });
  });

  it("says why a period is refused, with 400", async () => {
    const malformed = (await jsonLoader(get("/admin/metrics.json?from=2026-02-30&to=2026-03-01", owner))) as Response;
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: "invalid-period", fields: { from: ["Enter a real date as YYYY-MM-DD."] } });
    const reversed = (await jsonLoader(get("/admin/metrics.json?from=2026-03-01&to=2026-02-01", owner))) as Response;
    expect(await reversed.json()).toEqual({ error: "invalid-period", fields: { to: ["The end of the period is before its start."] } });
    const half = (await jsonLoader(get("/admin/metrics.json?from=2026-03-01", owner))) as Response;
    expect(await half.json()).toEqual({ error: "invalid-period", fields: { to: ["This field is required."] } });
    const unknown = (await jsonLoader(get("/admin/metrics.json?include=nps,weather", owner))) as Response;
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "unknown-section", unknown: ["weather"] });
  });

  it("words every refusal of odd query strings (a field twice, an unknown preset) in the reader's language", async () => {
    const twice = (await jsonLoader(get("/admin/metrics.json?tier=a&tier=b", owner))) as Response;
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual({ error: "invalid-period", fields: { tier: ["Choose one of the club's tiers."] } });
    const preset = (await settle(csvLoader(get("/admin/metrics.csv?table=nps-months&preset=decade", owner)))) as Response;
    expect(preset.status).toBe(400);
    expect(await preset.text()).toBe("Choose a valid period to see the figures.");
  });

  it("gives curators engagement only, and 403 when they ask for revenue", async () => {
    const own = (await jsonLoader(get("/admin/metrics.json", curator))) as Response;
    const body = await own.json();
    expect(body.sections).toEqual(["engagement", "atRisk"]);
    expect(body).not.toHaveProperty("revenue");
    expect(body).not.toHaveProperty("nps");
    // Their comparison holds their own figures only.
    expect(Object.keys(body.comparison.previous).sort()).toEqual(["active", "contributed"]);
    const refused = (await jsonLoader(get("/admin/metrics.json?include=engagement,revenue", curator))) as Response;
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "forbidden", sections: ["revenue"] });
  });
});

describe("/admin/metrics.csv", () => {
  it("exports a table as CSV with headers in the reader's language and plain values", async () => {
    const response = (await csvLoader(get("/admin/metrics.csv?table=revenue-tiers", owner))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="coterie-revenue-tiers-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A byte-order mark first, so spreadsheets read Cyrillic as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.split("\r\n")).toEqual(["Tier,MRR (EUR),Paying members,ARPA (EUR)", "Community,0,0,", "Professional,99,1,99", "Private Client,0,0,", ""]);
  });

  it("defuses spreadsheet formulas in names", async () => {
    const text = await ((await csvLoader(get("/admin/metrics.csv?table=at-risk", owner))) as Response).text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it("refuses curators revenue tables, unknown tables and bad periods", async () => {
    expect(((await settle(csvLoader(get("/admin/metrics.csv?table=revenue-months", curator)))) as Response).status).toBe(403);
    expect(((await settle(csvLoader(get("/admin/metrics.csv?table=engagement-months", curator)))) as Response).status).toBe(200);
    const unknown = (await settle(csvLoader(get("/admin/metrics.csv?table=salaries", owner)))) as Response;
    expect(unknown.status).toBe(400);
    const bad = (await settle(csvLoader(get("/admin/metrics.csv?table=nps-months&from=2026-05-01&to=2026-04-01", owner)))) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("The end of the period is before its start.");
    expect(((await settle(csvLoader(get("/admin/metrics.csv?table=nps-months", plainMember)))) as Response).status).toBe(403);
  });
});
