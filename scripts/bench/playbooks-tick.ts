/**
 * The playbook scheduler's pass over the bench club (BENCH_PAGES=playbooks), run by
 * scripts/bench.ts in a process of its own with DATABASE_URL set to the seeded club:
 * five playbooks (one per member trigger: detractor, 21 days quiet, joined a day ago, payment
 * failed, cancellation scheduled; each SEND, WAIT 3, SEND, 10 % held out) made a year ago, then
 * `runPlaybooks(now)` three times: the first tick enters every occurrence and sends the first
 * step, the second finds the waits not yet over, the third is a day later. Each tick is printed in
 * seconds, then EXPLAIN (ANALYZE, BUFFERS) of each trigger's entry query, naming any sequential
 * scan and the rows it read.
 */
import pg from "pg";
import { db } from "../../app/db.server";
import { stopQueue } from "../../app/jobs/queue.server";
import { runPlaybooks } from "../../app/playbooks/scheduler.server";
import { firedSql, playbookForTrigger } from "../../app/playbooks/triggers.server";

const TRIGGERS = [
  ["BECAME_DETRACTOR", null],
  ["INACTIVE", 21],
  ["JOINED", 1],
  ["PAYMENT_FAILED", null],
  ["CANCELLATION_SCHEDULED", null],
] as const;
const DAY = 86_400_000;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function setUp(now: Date) {
  await db.$executeRaw`DELETE FROM "Playbook" WHERE id LIKE 'bench-playbook-%'`;
  await db.$executeRaw`DELETE FROM "FollowUpTemplate" WHERE id LIKE 'bench-template-%'`;
  const createdAt = new Date(now.getTime() - 365 * DAY);
  for (const [trigger, days] of TRIGGERS) {
    const templateId = `bench-template-${trigger}`;
    await db.followUpTemplate.create({
      data: { id: templateId, name: `Bench ${trigger}`, reason: trigger, subjectEn: "Hello {name}", bodyEn: "Your {tier} membership at {club}.", subjectRu: "Здравствуйте, {name}", bodyRu: "Ваше членство {tier} в {club}." },
    });
    await db.playbook.create({
      data: {
        id: `bench-playbook-${trigger}`,
        name: `Bench ${trigger}`,
        trigger,
        triggerDays: days,
        holdOutPercent: 10,
        createdAt,
        steps: {
          create: [
            { version: 1, position: 0, kind: "SEND", templateId },
            { version: 1, position: 1, kind: "WAIT", days: 3 },
            { version: 1, position: 2, kind: "SEND", templateId },
          ],
        },
      },
    });
  }
}

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Actual Rows"?: number; "Actual Loops"?: number; Plans?: PlanNode[] };

function seqScans(node: PlanNode, found: string[] = []): string[] {
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) found.push(`${node["Relation Name"]} (${((node["Actual Rows"] ?? 0) * (node["Actual Loops"] ?? 1)).toLocaleString("en")} rows)`);
  for (const child of node.Plans ?? []) seqScans(child, found);
  return found;
}

async function explainTriggers(now: Date) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  out("");
  out("Each trigger's entry query, EXPLAIN (ANALYZE, BUFFERS) after the ticks (no new occurrences left):");
  out("| trigger | ms | shared buffers hit / read | sequential scans |");
  out("| --- | ---: | ---: | --- |");
  try {
    for (const [trigger] of TRIGGERS) {
      const playbook = await db.playbook.findUniqueOrThrow({ where: { id: `bench-playbook-${trigger}` }, select: { id: true, trigger: true, triggerDays: true, createdAt: true, segmentId: true } });
      const forTrigger = await playbookForTrigger(playbook);
      if (!forTrigger) continue;
      const sql = firedSql(forTrigger, now);
      // `text` numbers the placeholders $1, $2, … as PostgreSQL does (`sql` has MySQL's `?`).
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`, sql.values as unknown[]);
      const plan = (rows[0]["QUERY PLAN"] as Array<{ Plan: PlanNode & { "Shared Hit Blocks"?: number; "Shared Read Blocks"?: number }; "Execution Time": number }>)[0];
      const scans = seqScans(plan.Plan);
      out(`| ${trigger} | ${plan["Execution Time"].toFixed(0)} | ${plan.Plan["Shared Hit Blocks"] ?? 0} / ${plan.Plan["Shared Read Blocks"] ?? 0} | ${scans.length ? scans.join(", ") : "none"} |`);
    }
  } finally {
    await client.end();
  }
}

const now = new Date();
await setUp(now);
const members = await db.user.count({ where: { role: "MEMBER", deactivatedAt: null } });
out(`The playbook scheduler over ${members.toLocaleString("en")} members, 5 playbooks (one per member trigger; SEND, WAIT 3 days, SEND; 10 % held out):`);
out("| tick | s | entered | held out | exits | sends | waits |");
out("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
const ticks: Array<[string, Date]> = [
  ["first (enters everyone the triggers fired for)", now],
  ["second, a minute later (nothing due)", new Date(now.getTime() + 60_000)],
  ["a day later (waits not over; a few new occurrences)", new Date(now.getTime() + DAY)],
];
for (const [label, at] of ticks) {
  const started = performance.now();
  const figures = await runPlaybooks(at);
  const seconds = (performance.now() - started) / 1000;
  const exits = Object.values(figures.exited ?? {}).reduce((sum: number, n) => sum + Number(n), 0);
  out(`| ${label} | ${seconds.toFixed(2)} | ${figures.entered} | ${figures.heldOut} | ${exits} | ${figures.steps.SEND} | ${figures.steps.WAIT} |`);
}
await explainTriggers(new Date(now.getTime() + DAY));
// What the ticks sent goes again, so a kept bench database (BENCH_DATA_DIR) stays as seeded.
await db.$executeRaw`DELETE FROM pgboss.job WHERE name = 'email' AND data->>'emailId' IN (SELECT id FROM "Email" WHERE template = 'playbook-follow-up')`;
await db.$executeRaw`DELETE FROM "Email" WHERE template = 'playbook-follow-up'`;
await db.$executeRaw`DELETE FROM "Notification" WHERE kind = 'FOLLOW_UP'`;
await db.$executeRaw`DELETE FROM "TelegramMessage" WHERE purpose = 'FOLLOW_UP'`;
await db.$executeRaw`DELETE FROM "Playbook" WHERE id LIKE 'bench-playbook-%'`;
await db.$executeRaw`DELETE FROM "FollowUpTemplate" WHERE id LIKE 'bench-template-%'`;
await stopQueue();
await db.$disconnect();
process.exit(0);
