import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { stopQueue } from "~/jobs/queue.server";
import { loader as reviewLoader } from "~/routes/admin.applications.$applicationId";
import { loader as queueLoader } from "~/routes/admin.applications._index";
import { loader as invitesLoader } from "~/routes/admin.invites._index";
import { seedAdmission } from "../../prisma/seed/admission";
import { seedFoundation } from "../../prisma/seed/foundation";
import { sessionCookie } from "../factories";
import { appRequest, routeArgs } from "../support/requests";
import { outcome } from "./support";

afterAll(() => stopQueue());

describe("the demo seed", () => {
  it("seeds the club's criteria, applications in every state, codes and vouches, and can run again", { timeout: 60_000 }, async () => {
    await seedFoundation();
    await seedAdmission();
    const counts = async () => ({
      criteria: await db.admissionCriterion.count(),
      applications: await db.application.count(),
      reviews: await db.applicationReview.count(),
      decisions: await db.applicationDecision.count(),
      invites: await db.invite.count(),
      vouches: await db.vouch.count(),
    });
    const first = await counts();
    await seedAdmission();
    expect(await counts()).toEqual(first);

    expect(first.criteria).toBe(4);
    expect(first.applications).toBe(10);
    const kinds = (await db.admissionCriterion.findMany()).map((c) => c.kind).sort();
    expect(kinds).toEqual(["CHOICE", "SCALE", "TEXT", "TEXT"]);
    const statuses = new Set((await db.application.findMany()).map((a) => a.status));
    expect([...statuses].sort()).toEqual(["APPROVED", "IN_REVIEW", "NEW", "REJECTED", "UNVERIFIED", "WAITLISTED"]);
    expect(first.vouches).toBeGreaterThanOrEqual(2);

    const owner = await db.user.findUniqueOrThrow({ where: { email: "owner@coterie.club" } });
    const cookie = await sessionCookie(owner.id);
    const queue = await outcome(queueLoader(routeArgs(appRequest("/admin/applications?sort=score", { cookie }))));
    expect(queue.status).toBe(200);
    expect(queue.data.applications).toHaveLength(9);
    expect(queue.data.applications.some((a: { vouchedBy: string | null }) => a.vouchedBy === "Irina Petrova")).toBe(true);
    for (const application of queue.data.applications) {
      const page = await outcome(reviewLoader(routeArgs(appRequest("/", { cookie }), { applicationId: application.id })));
      expect(page.status).toBe(200);
    }
    for (const search of ["", "?status=all&kind=all", "?status=used&kind=codes", "?status=expired", "?status=revoked"]) {
      const invites = await outcome(invitesLoader(routeArgs(appRequest(`/admin/invites${search}`, { cookie }))));
      expect(invites.status).toBe(200);
    }
  });
});
