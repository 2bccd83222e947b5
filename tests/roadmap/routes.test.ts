import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as boardAction, loader as boardLoader } from "~/routes/roadmap._index";
import { action as itemAction, loader as itemLoader } from "~/routes/roadmap.$itemId";
import { action as newAction, loader as newLoader } from "~/routes/roadmap.new";
import { action as editAction, loader as editLoader } from "~/routes/roadmap.$itemId_.edit";
import { createRoadmapItem, createUser, ensureClubSettings, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

type Outcome = { status: number; data: unknown; location: string | null };

/** What a loader or action answered: a thrown or returned Response, data(...), or plain data. */
async function outcome(promise: Promise<unknown>): Promise<Outcome> {
  const result = await settle(promise);
  if (result instanceof Response) {
    return { status: result.status, data: await result.text(), location: result.headers.get("Location") };
  }
  if (result && typeof result === "object" && "type" in result && (result as { type: string }).type === "DataWithResponseInit") {
    const wrapped = result as unknown as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data, location: null };
  }
  return { status: 200, data: result, location: null };
}

async function signedIn(options: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(options);
  return { user, cookie: await sessionCookie(user.id) };
}

function fieldErrors(data: unknown, field: string): string[] | undefined {
  const reply = data as { error?: Record<string, string[]> } | { result?: { error?: Record<string, string[]> } };
  const error = "result" in reply ? reply.result?.error : (reply as { error?: Record<string, string[]> }).error;
  return error?.[field];
}

describe("who may use the roadmap", () => {
  it("an account without a membership (lapsed, or approved and never paid) gets 403 on every roadmap page and form", async () => {
    await ensureClubSettings();
    const item = await createRoadmapItem({ title: "Backup to another region" });
    const lapsed = await signedIn({ tier: "private-client" });
    await db.subscription.updateMany({ where: { userId: lapsed.user.id }, data: { status: "CANCELED", endedAt: new Date() } });
    const unpaid = await signedIn({ tier: null, locale: "ru" });
    const before = { items: await db.roadmapItem.count(), comments: await db.roadmapComment.count(), votes: await db.roadmapVote.count() };

    for (const { cookie } of [lapsed, unpaid]) {
      const attempts = [
        () => boardLoader(routeArgs(appRequest("/roadmap", { cookie }))),
        () => boardAction(routeArgs(appRequest("/roadmap?index", { cookie, form: { intent: "vote", itemId: item.id } }))),
        () => itemLoader(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie }), { itemId: item.id })),
        () => itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie, form: { intent: "comment", body: "Me too" } }), { itemId: item.id })),
        () => newLoader(routeArgs(appRequest("/roadmap/new", { cookie }))),
        () => newAction(routeArgs(appRequest("/roadmap/new", { cookie, form: { title: "A suggestion", descriptionMd: "Please" } }))),
      ];
      for (const attempt of attempts) expect((await outcome(attempt())).status).toBe(403);
    }
    const answer = await outcome(boardLoader(routeArgs(appRequest("/roadmap", { cookie: unpaid.cookie }))));
    expect(answer.data).toBe("Дорожная карта открыта участникам с действующим членством. Продлить его можно на странице оплаты.");
    expect({ items: await db.roadmapItem.count(), comments: await db.roadmapComment.count(), votes: await db.roadmapVote.count() }).toEqual(before);

    // Staff without a tier of their own run the board.
    const curator = await signedIn({ role: "CURATOR", tier: null });
    expect((await outcome(boardLoader(routeArgs(appRequest("/roadmap", { cookie: curator.cookie }))))).status).toBe(200);
  });
});

describe("the board, /roadmap", () => {
  it("sends visitors to sign in, and shows members the board with their own votes marked", async () => {
    await ensureClubSettings();
    const visitor = await outcome(boardLoader(routeArgs(appRequest("/roadmap"))));
    expect(visitor.status).toBe(302);
    expect(visitor.location).toBe("/login?redirectTo=%2Froadmap");

    const [first, second] = [await createRoadmapItem({ title: "Cold archive" }), await createRoadmapItem({ title: "IPv6 in VPC" })];
    const voter = await signedIn({ tier: "private-client" });
    const vote = await outcome(boardAction(routeArgs(appRequest("/roadmap?index", { cookie: voter.cookie, form: { intent: "vote", itemId: second.id } }))));
    expect(vote.status).toBe(200);
    expect(vote.data).toMatchObject({ vote: { ok: true, voted: true, voteCount: 1, weightedVotes: 3 } });

    const board = await outcome(boardLoader(routeArgs(appRequest("/roadmap", { cookie: voter.cookie }))));
    const data = board.data as { items: Array<{ id: string; myVoteWeight: number | null; voteCount: number; weightedVotes: number }>; viewer: { canVote: boolean; weight: number } };
    expect(data.viewer).toMatchObject({ canVote: true, weight: 3 });
    expect(data.items[0]).toMatchObject({ id: second.id, myVoteWeight: 3, voteCount: 1, weightedVotes: 3 });
    expect(data.items.find((i) => i.id === first.id)?.myVoteWeight).toBeNull();

    const professional = await signedIn({ tier: "professional" });
    const theirs = await outcome(boardLoader(routeArgs(appRequest("/roadmap", { cookie: professional.cookie }))));
    const theirData = theirs.data as typeof data & { votingTiers: string[] };
    expect(theirData.viewer.canVote).toBe(false);
    expect(theirData.votingTiers).toEqual(["Private Client"]);
    expect(theirData.items.find((i) => i.id === second.id)?.myVoteWeight).toBeNull();
  });

  it("filters by status, searches and sorts", async () => {
    const owner = await signedIn({ role: "OWNER", tier: "private-client" });
    const marker = `zq${Date.now()}`;
    const planned = await createRoadmapItem({ title: `Managed Kafka ${marker}`, status: "PLANNED" });
    const review = await createRoadmapItem({ title: `Kafka tiered storage ${marker}` });
    await createRoadmapItem({ title: "Something else", description: `Mentions ${marker} in the description only` });
    const list = async (search: string) =>
      ((await outcome(boardLoader(routeArgs(appRequest(`/roadmap?${search}`, { cookie: owner.cookie }))))).data as { items: Array<{ id: string; title: string }>; total: number }).items;

    expect((await list(`q=${marker}`)).length).toBe(3);
    expect((await list(`q=${marker}&status=PLANNED`)).map((i) => i.id)).toEqual([planned.id]);
    expect((await list(`q=${marker.toUpperCase()}&sort=newest`))[1].id).toBe(review.id);
    // Wildcards are searched for literally.
    expect(await list("q=%25")).toEqual([]);
    expect(await list("q=_")).toEqual([]);
    // Dates arrive as instants, whatever the server's time zone.
    const [newest] = (await list(`q=${marker}&sort=newest`)) as unknown as Array<{ id: string; createdAt: string }>;
    const stored = await db.roadmapItem.findUniqueOrThrow({ where: { id: newest.id } });
    expect(new Date(newest.createdAt).getTime()).toBe(stored.createdAt.getTime());
    // Unknown filters fall back to the defaults instead of failing.
    expect((await list(`q=${marker}&status=BOGUS&sort=nope&page=-3`)).length).toBe(3);
  });

  it("sends a page past the last one to the last page, keeping the filters, instead of 'page 10000 of 1' over an empty list", async () => {
    const member = await signedIn({ tier: "community" });
    const marker = `zp${Date.now()}`;
    await createRoadmapItem({ title: `Paged ${marker}`, status: "PLANNED" });
    const board = (search: string) => outcome(boardLoader(routeArgs(appRequest(`/roadmap?${search}`, { cookie: member.cookie }))));

    const past = await board(`q=${marker}&status=PLANNED&sort=newest&page=999999`);
    expect(past.status).toBe(302);
    expect(past.location).toBe(`/roadmap?status=PLANNED&sort=newest&q=${marker}`);
    const none = await board(`q=nothing-${marker}&page=3`);
    expect(none.status).toBe(302);
    expect(none.location).toBe(`/roadmap?q=nothing-${marker}`);
    // The last page itself, and page 1 of an empty search, are pages.
    const first = await board(`q=${marker}&page=1`);
    expect(first.status).toBe(200);
    expect((first.data as { items: unknown[] }).items).toHaveLength(1);
    expect((await board(`q=nothing-${marker}`)).status).toBe(200);
  });

  it("answers a vote from a tier that does not vote with 403 and says which tier votes", async () => {
    const item = await createRoadmapItem();
    const professional = await signedIn({ tier: "professional" });
    const vote = await outcome(boardAction(routeArgs(appRequest("/roadmap?index", { cookie: professional.cookie, form: { intent: "vote", itemId: item.id } }))));
    expect(vote.status).toBe(403);
    expect(vote.data).toEqual({ vote: { itemId: item.id, ok: false, error: "roadmap.vote.notEntitled", values: { tiers: "Private Client" } } });
    expect(await db.roadmapVote.count({ where: { itemId: item.id } })).toBe(0);
  });

  it("answers votes on declined items with 409, unknown items with 404, and nonsense with 400", async () => {
    const owner = await signedIn({ role: "OWNER", tier: "private-client" });
    const declined = await createRoadmapItem({ status: "DECLINED" });
    const vote = (itemId: string, intent = "vote") =>
      outcome(boardAction(routeArgs(appRequest("/roadmap?index", { cookie: owner.cookie, form: { intent, itemId } }))));
    const refused = await vote(declined.id);
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ vote: { ok: false, error: "roadmap.vote.declinedItem" } });
    expect((await vote("no-such-item")).status).toBe(404);
    expect((await vote(declined.id, "stuff")).status).toBe(400);
  });
});

describe("an item, /roadmap/:itemId", () => {
  it("shows the item, its history, voters and comments; 404 for an unknown id", async () => {
    const member = await signedIn({ tier: "community" });
    const voter = await signedIn({ tier: "private-client", name: "Irina Petrova" });
    const item = await createRoadmapItem({ title: "SOC 2 portal", description: "Reports **under NDA**<script>alert(1)</script>" });
    await outcome(itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: voter.cookie, form: { intent: "vote" } }), { itemId: item.id })));
    const commented = await outcome(
      itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: member.cookie, form: { intent: "comment", body: "We need the bridge letter too." } }), { itemId: item.id })),
    );
    expect(commented.status).toBe(200);

    const page = await outcome(itemLoader(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: member.cookie }), { itemId: item.id })));
    const data = page.data as {
      item: { title: string; descriptionHtml: string; voteCount: number; weightedVotes: number };
      voters: Array<{ name: string; weight: number; counting: boolean }>;
      history: Array<{ toStatus: string }>;
      comments: Array<{ bodyHtml: string }>;
    };
    expect(data.item).toMatchObject({ title: "SOC 2 portal", voteCount: 1, weightedVotes: 3 });
    expect(data.item.descriptionHtml).toContain("<strong>under NDA</strong>");
    expect(data.item.descriptionHtml).not.toContain("<script");
    expect(data.voters).toEqual([expect.objectContaining({ name: "Irina Petrova", weight: 3, counting: true })]);
    expect(data.history.map((h) => h.toStatus)).toEqual(["UNDER_REVIEW"]);
    expect(data.comments[0].bodyHtml).toContain("bridge letter");

    const missing = await outcome(itemLoader(routeArgs(appRequest("/roadmap/nope", { cookie: member.cookie }), { itemId: "nope" })));
    expect(missing.status).toBe(404);
  });

  it("refuses an empty comment and an over-long one at the field", async () => {
    const member = await signedIn({ tier: "community" });
    const item = await createRoadmapItem();
    const post = (body: string) =>
      outcome(itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: member.cookie, form: { intent: "comment", body } }), { itemId: item.id })));
    const empty = await post("   ");
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty.data, "body")).toEqual(["form.required"]);
    const long = await post("x".repeat(5001));
    expect(long.status).toBe(400);
    expect(fieldErrors(long.data, "body")).toEqual(['form.tooLong|{"max":5000}']);
    expect(await db.roadmapComment.count({ where: { itemId: item.id } })).toBe(0);
  });

  it("lets authors and staff delete comments, and no one else", async () => {
    const [author, other, curator] = [await signedIn(), await signedIn(), await signedIn({ role: "CURATOR" })];
    const item = await createRoadmapItem();
    const post = async () => {
      await outcome(itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: author.cookie, form: { intent: "comment", body: "hello" } }), { itemId: item.id })));
      return db.roadmapComment.findFirstOrThrow({ where: { itemId: item.id, deletedAt: null } });
    };
    const remove = (cookie: string, commentId: string) =>
      outcome(itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie, form: { intent: "delete-comment", commentId } }), { itemId: item.id })));
    const first = await post();
    expect((await remove(other.cookie, first.id)).status).toBe(403);
    expect((await remove(author.cookie, first.id)).status).toBe(200);
    expect((await db.roadmapComment.findUniqueOrThrow({ where: { id: first.id } })).deletedAt).not.toBeNull();
    const second = await post();
    expect((await remove(curator.cookie, second.id)).status).toBe(200);
  });

  it("lets the author edit a comment, marked as edited, and no one else, staff included", async () => {
    const [author, other, curator] = [await signedIn(), await signedIn(), await signedIn({ role: "CURATOR" })];
    const item = await createRoadmapItem();
    const act = (cookie: string, form: Record<string, string>) =>
      outcome(itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie, form }), { itemId: item.id })));
    await act(author.cookie, { intent: "comment", body: "Frist draft" });
    const comment = await db.roadmapComment.findFirstOrThrow({ where: { itemId: item.id } });
    expect((await act(other.cookie, { intent: "edit-comment", commentId: comment.id, body: "Hijacked" })).status).toBe(403);
    expect((await act(curator.cookie, { intent: "edit-comment", commentId: comment.id, body: "Hijacked" })).status).toBe(403);
    const empty = await act(author.cookie, { intent: "edit-comment", commentId: comment.id, body: "\u200B" });
    expect(empty.status).toBe(400);
    expect((await act(author.cookie, { intent: "edit-comment", commentId: comment.id, body: "First **draft**" })).status).toBe(200);
    const stored = await db.roadmapComment.findUniqueOrThrow({ where: { id: comment.id } });
    expect(stored).toMatchObject({ bodyMd: "First **draft**" });
    expect(stored.bodyHtml).toContain("<strong>draft</strong>");
    expect(stored.editedAt).not.toBeNull();
    // Only the author gets the Markdown back to edit it.
    const mine = await outcome(itemLoader(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: author.cookie }), { itemId: item.id })));
    const theirs = await outcome(itemLoader(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: other.cookie }), { itemId: item.id })));
    expect((mine.data as { comments: Array<{ bodyMd: string | null; editedAt: Date | null }> }).comments[0]).toMatchObject({ bodyMd: "First **draft**" });
    expect((theirs.data as { comments: Array<{ bodyMd: string | null }> }).comments[0].bodyMd).toBeNull();
  });

  it("sends no text or author of a deleted comment to the page, only its placeholder", async () => {
    const [author, reader] = [await signedIn({ name: "Comment Author" }), await signedIn()];
    const item = await createRoadmapItem();
    await outcome(
      itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: author.cookie, form: { intent: "comment", body: "Regretted **words**" } }), { itemId: item.id })),
    );
    const comment = await db.roadmapComment.findFirstOrThrow({ where: { itemId: item.id } });
    await outcome(
      itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: author.cookie, form: { intent: "delete-comment", commentId: comment.id } }), { itemId: item.id })),
    );
    const page = await outcome(itemLoader(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: reader.cookie }), { itemId: item.id })));
    expect(page.status).toBe(200);
    const { comments } = page.data as { comments: Array<{ id: string; deletedAt: Date | null }> };
    expect(comments.map((c) => c.id)).toEqual([comment.id]);
    expect(comments[0].deletedAt).not.toBeNull();
    expect(JSON.stringify(comments)).not.toMatch(/Regretted|words|Comment Author/);
  });

  it("lets only curators and owners change the status, and only owners merge", async () => {
    const member = await signedIn({ tier: "private-client" });
    const curator = await signedIn({ role: "CURATOR", tier: "professional" });
    const owner = await signedIn({ role: "OWNER", tier: "private-client" });
    const [item, target] = [await createRoadmapItem(), await createRoadmapItem()];
    const post = (cookie: string, form: Record<string, string>, id = item.id) =>
      outcome(itemAction(routeArgs(appRequest(`/roadmap/${id}`, { cookie, form }), { itemId: id })));

    expect((await post(member.cookie, { intent: "status", status: "PLANNED" })).status).toBe(403);
    const moved = await post(curator.cookie, { intent: "status", status: "PLANNED", note: "Scheduled." });
    expect(moved.status).toBe(200);
    expect(moved.data).toMatchObject({ intent: "status", notified: 0 });
    const again = await post(curator.cookie, { intent: "status", status: "PLANNED" });
    expect(again.status).toBe(409);
    expect(fieldErrors(again.data, "status")).toEqual(["roadmap.status.unchanged"]);
    expect(fieldErrors((await post(curator.cookie, { intent: "status", status: "PLANNED", note: "n".repeat(501) })).data, "note")).toEqual([
      'form.tooLong|{"max":500}',
    ]);

    expect((await post(curator.cookie, { intent: "merge", intoId: target.id })).status).toBe(403);
    expect(fieldErrors((await post(owner.cookie, { intent: "merge", intoId: "" })).data, "intoId")).toEqual(["roadmap.merge.pickTarget"]);
    expect(fieldErrors((await post(owner.cookie, { intent: "merge", intoId: item.id })).data, "intoId")).toEqual(["roadmap.merge.same"]);
    const merged = await post(owner.cookie, { intent: "merge", intoId: target.id });
    expect(merged.status).toBe(302);
    expect(merged.location).toBe(`/roadmap/${target.id}?merged=${item.id}`);

    // The duplicate now redirects, with the note's source in the address, and refuses votes.
    const redirect = await outcome(itemLoader(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: member.cookie }), { itemId: item.id })));
    expect(redirect.status).toBe(302);
    expect(redirect.location).toBe(`/roadmap/${target.id}?merged=${item.id}`);
    const landed = await outcome(itemLoader(routeArgs(appRequest(redirect.location!, { cookie: member.cookie }), { itemId: target.id })));
    expect((landed.data as { mergedFrom: { id: string } | null }).mergedFrom?.id).toBe(item.id);
    // The merge is in the target's status history, with who did it; the status is unchanged.
    const history = (landed.data as { history: Array<{ fromStatus: string | null; toStatus: string; mergedFromTitle: string | null; changedBy: { name: string } | null }> })
      .history;
    expect(history.at(-1)).toMatchObject({ mergedFromTitle: item.title, fromStatus: target.status, toStatus: target.status, changedBy: { name: owner.user.name } });
    const vote = await post(member.cookie, { intent: "vote" });
    expect(vote.status).toBe(409);
    expect(vote.data).toMatchObject({ vote: { ok: false, error: "roadmap.vote.mergedItem" } });
  });
});

describe("suggesting, creating and editing items", () => {
  it("a member's suggestion lands under review with them as its author", async () => {
    const member = await signedIn({ tier: "community" });
    const page = await outcome(newLoader(routeArgs(appRequest("/roadmap/new", { cookie: member.cookie }))));
    expect(page.data).toMatchObject({ staff: false });
    const created = await outcome(
      newAction(routeArgs(appRequest("/roadmap/new", { cookie: member.cookie, form: { title: "Egress dashboard", description: "Per **destination**", status: "SHIPPED", targetQuarter: "2027-Q1" } }))),
    );
    expect(created.status).toBe(302);
    const id = created.location!.split("/").at(-1)!;
    const item = await db.roadmapItem.findUniqueOrThrow({ where: { id }, include: { statusChanges: true } });
    expect(item).toMatchObject({ title: "Egress dashboard", status: "UNDER_REVIEW", authorId: member.user.id, targetQuarter: null });
    expect(item.descriptionHtml).toBe("<p>Per <strong>destination</strong></p>\n");
    expect(item.statusChanges.map((s) => s.toStatus)).toEqual(["UNDER_REVIEW"]);
  });

  it("curators create items in any status with a target quarter", async () => {
    const curator = await signedIn({ role: "CURATOR" });
    const created = await outcome(
      newAction(routeArgs(appRequest("/roadmap/new", { cookie: curator.cookie, form: { title: "Managed ClickHouse", status: "IN_PROGRESS", targetQuarter: "2027-Q2" } }))),
    );
    expect(created.status).toBe(302);
    const item = await db.roadmapItem.findUniqueOrThrow({ where: { id: created.location!.split("/").at(-1)! } });
    expect(item).toMatchObject({ status: "IN_PROGRESS", targetQuarter: "2027-Q2", authorId: curator.user.id });
  });

  it("refuses an empty title, over-long text and a malformed quarter at the field", async () => {
    const curator = await signedIn({ role: "CURATOR" });
    const before = await db.roadmapItem.count();
    const submit = (form: Record<string, string>) => outcome(newAction(routeArgs(appRequest("/roadmap/new", { cookie: curator.cookie, form }))));
    const empty = await submit({ title: "  ", description: "x" });
    expect(empty.status).toBe(400);
    expect(fieldErrors(empty.data, "title")).toEqual(["form.required"]);
    const long = await submit({ title: "t".repeat(141), description: "d".repeat(10_001), targetQuarter: "next year" });
    expect(fieldErrors(long.data, "title")).toEqual(['form.tooLong|{"max":140}']);
    expect(fieldErrors(long.data, "description")).toEqual(['form.tooLong|{"max":10000}']);
    expect(fieldErrors(long.data, "targetQuarter")).toEqual(["roadmap.form.quarterFormat"]);
    expect(await db.roadmapItem.count()).toBe(before);
  });

  it("refuses a title or comment of invisible characters (zero-width spaces, bidi marks) as empty", async () => {
    const member = await signedIn({ tier: "community" });
    const invisible = "\u200B\u200D\u2060\uFEFF\u202E\u3164 ";
    const items = await db.roadmapItem.count();
    const suggested = await outcome(newAction(routeArgs(appRequest("/roadmap/new", { cookie: member.cookie, form: { title: invisible, description: "x" } }))));
    expect(suggested.status).toBe(400);
    expect(fieldErrors(suggested.data, "title")).toEqual(["form.required"]);
    expect(await db.roadmapItem.count()).toBe(items);

    const item = await createRoadmapItem();
    const commented = await outcome(
      itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: member.cookie, form: { intent: "comment", body: invisible } }), { itemId: item.id })),
    );
    expect(commented.status).toBe(400);
    expect(fieldErrors(commented.data, "body")).toEqual(["form.required"]);
    expect(await db.roadmapComment.count({ where: { itemId: item.id } })).toBe(0);
  });

  it("takes direction overrides (U+202E and the other embeddings and isolates) out of a title, so they cannot reverse what follows", async () => {
    const member = await signedIn({ tier: "community" });
    const suggested = await outcome(
      newAction(routeArgs(appRequest("/roadmap/new", { cookie: member.cookie, form: { title: "Export \u202Efdp.exe\u202C \u2066as\u2069 \u202A\u202B\u202DPDF", description: "x" } }))),
    );
    expect(suggested.status).toBe(302);
    const item = await db.roadmapItem.findUniqueOrThrow({ where: { id: suggested.location!.split("/").at(-1)! } });
    expect(item.title).toBe("Export fdp.exe as PDF");
  });

  it("drops NUL characters (which PostgreSQL text cannot hold) from suggestions, comments and the board's search", async () => {
    const member = await signedIn({ tier: "community" });
    const suggested = await outcome(newAction(routeArgs(appRequest("/roadmap/new", { cookie: member.cookie, form: { title: "Null\0 bytes", description: "a\0b" } }))));
    expect(suggested.status).toBe(302);
    const item = await db.roadmapItem.findUniqueOrThrow({ where: { id: suggested.location!.split("/").at(-1)! } });
    expect([item.title, item.descriptionMd]).toEqual(["Null bytes", "ab"]);
    const commented = await outcome(
      itemAction(routeArgs(appRequest(`/roadmap/${item.id}`, { cookie: member.cookie, form: { intent: "comment", body: "c\0d" } }), { itemId: item.id })),
    );
    expect(commented.status).toBe(200);
    expect((await db.roadmapComment.findFirstOrThrow({ where: { itemId: item.id } })).bodyMd).toBe("cd");
    const board = await outcome(boardLoader(routeArgs(appRequest(`/roadmap?q=${encodeURIComponent("Null\0 bytes")}`, { cookie: member.cookie }))));
    expect(board.status).toBe(200);
    expect((board.data as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([item.id]);
  });

  it("limits a member to ten suggestions an hour, with a message on the form", async () => {
    const member = await signedIn({ tier: "community" });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const result = await outcome(newAction(routeArgs(appRequest("/roadmap/new", { cookie: member.cookie, form: { title: `Idea ${i}` } }))));
      statuses.push(result.status);
      if (i === 10) expect((result.data as { error?: Record<string, string[]> }).error?.[""]).toEqual(["roadmap.rateLimited"]);
    }
    expect(statuses).toEqual([...Array(10).fill(302), 429]);
    expect(await db.roadmapItem.count({ where: { authorId: member.user.id } })).toBe(10);
  });

  it("only curators and owners edit items", async () => {
    const member = await signedIn();
    const curator = await signedIn({ role: "CURATOR" });
    const item = await createRoadmapItem({ title: "Old title" });
    const args = (cookie: string, form?: Record<string, string>) => routeArgs(appRequest(`/roadmap/${item.id}/edit`, { cookie, form }), { itemId: item.id });
    expect((await outcome(editLoader(args(member.cookie)))).status).toBe(403);
    expect((await outcome(editAction(args(member.cookie, { title: "Hijacked" })))).status).toBe(403);
    expect((await outcome(editLoader(args(curator.cookie)))).status).toBe(200);
    const saved = await outcome(editAction(args(curator.cookie, { title: "New title", description: "Now with *detail*", targetQuarter: "2027-Q4" })));
    expect(saved.status).toBe(302);
    expect(await db.roadmapItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      title: "New title",
      descriptionHtml: "<p>Now with <em>detail</em></p>\n",
      summary: "Now with detail",
      targetQuarter: "2027-Q4",
    });
    const missing = await outcome(editLoader(routeArgs(appRequest("/roadmap/nope/edit", { cookie: curator.cookie }), { itemId: "nope" })));
    expect(missing.status).toBe(404);
  });
});
