import { Prisma } from "~/generated/prisma/client";
import { analyticQuery } from "./analytics.server";
import type { MonthRef } from "./dashboard.server";
import { ratio, share } from "./formulas";
import type { Growth, GrowthCounts, JoinRoute } from "./growth";
import { spansCte } from "./spans.server";

/**
 * The network effect and what acquisition costs (section 5 of the product):
 *  - how new members came: through a member's vouch, an owner's invite code, an open
 *    application, or added by staff without either ("direct");
 *  - how much members vouch, and how many vouches became members;
 *  - CAC: the acquisition spend the owner enters per month (/admin/metrics/spend) divided by
 *    the new paying members of the same months, and LTV:CAC beside it.
 *
 * A member is new in the month their first membership starts (the spans every figure reads,
 * staff left out), as retention's "joined" counts; a new paying member in the month their first
 * paying membership starts, as the revenue movements' "new" counts. The route is read from the
 * invite they joined with: an approval invite whose application came through a vouch is "vouch";
 * an owner's code, redeemed directly or entered on the application, is "invite".
 */
type Row = { key: number; route: JoinRoute | null; joined: number; newPaying: number; made: number; vouchers: number; applied: number; vouchJoined: number; members: number };

/** `months` are the period's months; `startsAt`/`asOf` the period's counted span. */
export async function growthFigures({ months, startsAt, asOf }: { months: MonthRef[]; startsAt: Date; asOf: Date }): Promise<Growth> {
  const edges = [months[0].startsAt, ...months.map((m) => m.endsAt)];
  const from = startsAt.toISOString();
  const to = asOf.toISOString();
  const lo = from < edges[0] ? from : edges[0];
  const hi = to > edges[edges.length - 1] ? to : edges[edges.length - 1];
  const last = months.length - 1;
  // Key -1 is the period; 0, 1, … its months (width_bucket over the month edges).
  const [rows, spend] = await Promise.all([
    analyticQuery<Row[]>(Prisma.sql`
      WITH ${spansCte(undefined, { materialized: false })},
      firsts AS (
        SELECT s."userId" AS u, min(s.started) AS joined, min(s.started) FILTER (WHERE s.paying) AS paid,
               bool_or(s.started < ${to}::timestamp AND (s.ended IS NULL OR s.ended >= ${to}::timestamp)) AS member_at_end
        FROM spans s GROUP BY s."userId"
      ),
      newcomers AS (
        SELECT f.u, f.joined, f.paid,
               CASE WHEN i.id IS NULL THEN 'direct'
                    WHEN i.source = 'OWNER' OR a."inviteCodeId" IS NOT NULL THEN 'invite'
                    WHEN a."vouchId" IS NOT NULL THEN 'vouch'
                    ELSE 'application' END AS route
        FROM firsts f
        LEFT JOIN "Invite" i ON i."usedById" = f.u
        LEFT JOIN "Application" a ON a.id = i."applicationId"
        WHERE (f.joined >= ${lo}::timestamp AND f.joined < ${hi}::timestamp) OR (f.paid >= ${lo}::timestamp AND f.paid < ${hi}::timestamp)
      ),
      events AS (
        SELECT width_bucket(joined, ${edges}::timestamp[]) - 1 AS mk, (joined >= ${from}::timestamp AND joined < ${to}::timestamp) AS in_period, route, 1 AS joined, 0 AS paid FROM newcomers WHERE joined >= ${lo}::timestamp AND joined < ${hi}::timestamp
        UNION ALL
        SELECT width_bucket(paid, ${edges}::timestamp[]) - 1, (paid >= ${from}::timestamp AND paid < ${to}::timestamp), route, 0, 1 FROM newcomers WHERE paid >= ${lo}::timestamp AND paid < ${hi}::timestamp
      ),
      keyed AS (
        SELECT mk AS key, route, joined, paid FROM events WHERE mk BETWEEN 0 AND ${last}
        UNION ALL
        SELECT -1, route, joined, paid FROM events WHERE in_period
      ),
      vouches AS (
        SELECT v."voucherId" COLLATE "C" AS voucher, width_bucket(v."createdAt", ${edges}::timestamp[]) - 1 AS mk,
               (v."createdAt" >= ${from}::timestamp AND v."createdAt" < ${to}::timestamp) AS in_period,
               a.id IS NOT NULL AS applied,
               EXISTS (SELECT 1 FROM "Invite" i WHERE i."applicationId" = a.id AND i."usedAt" IS NOT NULL) AS joined
        FROM "Vouch" v
        JOIN "User" vu ON vu.id = v."voucherId" AND vu.role = 'MEMBER'
        LEFT JOIN "Application" a ON a."vouchId" = v.id
        WHERE v."createdAt" >= ${lo}::timestamp AND v."createdAt" < ${hi}::timestamp
      ),
      vouch_keyed AS (
        SELECT mk AS key, voucher, applied, joined FROM vouches WHERE mk BETWEEN 0 AND ${last}
        UNION ALL
        SELECT -1, voucher, applied, joined FROM vouches WHERE in_period
      )
      SELECT key, route, sum(joined)::int AS joined, sum(paid)::int AS "newPaying", 0 AS made, 0 AS vouchers, 0 AS applied, 0 AS "vouchJoined", 0 AS members
      FROM keyed GROUP BY key, route
      UNION ALL
      SELECT key, NULL, 0, 0, count(*)::int, count(DISTINCT voucher)::int, count(*) FILTER (WHERE applied)::int, count(*) FILTER (WHERE joined)::int, 0
      FROM vouch_keyed GROUP BY key
      UNION ALL
      SELECT -2, NULL, 0, 0, 0, 0, 0, 0, count(*) FILTER (WHERE member_at_end)::int FROM firsts`),
    monthlySpend(months.map((m) => m.month)),
  ]);

  const newPayingIn = (key: number) => rows.filter((r) => r.key === key).reduce((sum, r) => sum + r.newPaying, 0);
  const counts = (key: number, spendOf: string[]): GrowthCounts => {
    const joined = { vouch: 0, invite: 0, application: 0, direct: 0, total: 0 };
    for (const r of rows) {
      if (r.key !== key || !r.route) continue;
      joined[r.route] += r.joined;
      joined.total += r.joined;
    }
    const v = rows.find((r) => r.key === key && r.route === null);
    const made = v?.made ?? 0;
    // CAC divides the spend of the months entered by the new paying members of those months.
    const entered = spendOf.filter((m) => spend.has(m));
    const spent = entered.length ? entered.reduce((sum, m) => sum + spend.get(m)!, 0) : null;
    const payingThen = entered.reduce((sum, m) => sum + newPayingIn(months.findIndex((x) => x.month === m)), 0);
    return {
      joined,
      viaMembers: share(joined.vouch, joined.total),
      vouches: { made, vouchers: v?.vouchers ?? 0, applied: v?.applied ?? 0, joined: v?.vouchJoined ?? 0, conversion: share(v?.vouchJoined ?? 0, made) },
      newPaying: newPayingIn(key),
      spend: spent,
      cac: spent === null ? null : ratio(spent, payingThen),
    };
  };

  const monthList = months.map((m) => m.month);
  const period = counts(-1, monthList);
  const members = rows.find((r) => r.key === -2)?.members ?? 0;
  return {
    ...period,
    members,
    vouchesPerMember: ratio(period.vouches.made, members),
    spendMonths: monthList.filter((m) => spend.has(m)),
    missingSpendMonths: monthList.filter((m) => !spend.has(m)),
    ltvToCac: null,
    months: months.map((m, i) => ({ month: m.month, complete: m.complete, ...counts(i, [m.month]) })),
  };
}

/** The spend entered for these months (YYYY-MM-01), in minor units. */
async function monthlySpend(months: string[]): Promise<Map<string, number>> {
  const rows = await analyticQuery<Array<{ month: string; amount: number }>>(Prisma.sql`
    SELECT month::text AS month, "amountMinor" AS amount FROM "AcquisitionSpend" WHERE month = ANY(${months}::date[])`);
  return new Map(rows.map((r) => [r.month, r.amount]));
}
