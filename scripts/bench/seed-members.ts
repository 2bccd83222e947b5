import type pg from "pg";

/**
 * The large club for the benchmark: `members` members spread over `months` months of joining,
 * each with a subscription (a share cancelled) and monthly paid invoices. Plain SQL with
 * generate_series, so 10,000 members take seconds.
 */
export async function seedLargeMembers(client: pg.Client, { members, months }: { members: number; months: number }) {
  await client.query(`
    INSERT INTO "User" (id, email, name, company, "jobTitle", role, locale, "passwordHash", "emailVerifiedAt", "createdAt", "updatedAt")
    SELECT 'bench-user-' || g,
           'bench' || g || '@members.example',
           (ARRAY['Anna','Boris','Clara','Dmitry','Elena','Felix','Galina','Hugo','Irina','James'])[1 + g % 10] || ' ' ||
           (ARRAY['Ivanova','Smith','Petrov','Garcia','Sokolova','Chen','Orlov','Walker','Nair','Becker'])[1 + (g / 10) % 10] || ' ' || g,
           'Company ' || (g % 500), 'Engineer',
           'MEMBER', CASE WHEN g % 3 = 0 THEN 'ru'::"Locale" ELSE 'en'::"Locale" END,
           NULL,
           now() - ((g % ($2 * 30)) || ' days')::interval,
           now() - ((g % ($2 * 30)) || ' days')::interval,
           now()
    FROM generate_series(1, $1) AS g
    ON CONFLICT (email) DO NOTHING`, [members, months]);

  // Tiers by position: most members Community, some Professional, a tenth Private Client.
  await client.query(`
    INSERT INTO "Subscription" (id, "userId", "tierId", status, interval, amount, currency, "currentPeriodStart", "currentPeriodEnd", "startedAt", "endedAt", "createdAt", "updatedAt")
    SELECT 'bench-sub-' || g, 'bench-user-' || g, t.id,
           CASE WHEN g % 9 = 0 THEN 'CANCELED'::"SubscriptionStatus" ELSE 'ACTIVE'::"SubscriptionStatus" END,
           CASE WHEN g % 5 = 0 THEN 'YEAR'::"BillingInterval" ELSE 'MONTH'::"BillingInterval" END,
           CASE WHEN g % 5 = 0 THEN coalesce(t."yearlyAmount", 0) ELSE coalesce(t."monthlyAmount", 0) END,
           t.currency,
           now() - interval '10 days', now() + interval '20 days',
           u."createdAt",
           CASE WHEN g % 9 = 0 THEN u."createdAt" + ((1 + g % 6) || ' months')::interval END,
           u."createdAt", now()
    FROM generate_series(1, $1) AS g
    JOIN "User" u ON u.id = 'bench-user-' || g
    JOIN "Tier" t ON t.position = CASE WHEN g % 10 = 0 THEN 3 WHEN g % 4 = 0 THEN 2 ELSE 1 END
    ON CONFLICT (id) DO NOTHING`, [members]);

  // One paid invoice per month of membership (monthly plans) or per year (yearly plans).
  await client.query(`
    INSERT INTO "LedgerEntry" (id, kind, "userId", "subscriptionId", amount, currency, "periodStart", "periodEnd", "occurredAt", "stripeInvoiceId", "createdAt")
    SELECT 'bench-inv-' || s.id || '-' || m, 'INVOICE_PAID', s."userId", s.id, s.amount, s.currency,
           s."startedAt" + (m || ' months')::interval,
           s."startedAt" + ((m + CASE WHEN s.interval = 'YEAR' THEN 12 ELSE 1 END) || ' months')::interval,
           s."startedAt" + (m || ' months')::interval,
           'in_bench_' || s.id || '_' || m, now()
    FROM "Subscription" s
    CROSS JOIN LATERAL generate_series(0, 23, CASE WHEN s.interval = 'YEAR' THEN 12 ELSE 1 END) AS m
    WHERE s.id LIKE 'bench-sub-%'
      AND s."startedAt" + (m || ' months')::interval < coalesce(s."endedAt", now())
    ON CONFLICT DO NOTHING`);
}
