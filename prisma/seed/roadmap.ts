/** The demo club's roadmap data. Re-runnable: upserts, or skips what is already there. */
import type { RoadmapStatus } from "../../app/generated/prisma/client";
import { db } from "../../app/db.server";
import { renderMarkdown } from "../../app/markdown/markdown.server";
import { described } from "../../app/roadmap/items.server";
import { syncVoterStandings } from "../../app/roadmap/standing.server";
import { recountItems } from "../../app/roadmap/votes.server";

const DAY_MS = 24 * 60 * 60 * 1000;

// The Private Client members of prisma/seed/foundation.ts, who vote.
const VOTERS = {
  A: "owner@coterie.club",
  I: "irina.petrova@example.com",
  D: "dmitry.orlov@example.com",
  S: "sarah.chen@example.com",
} as const;

const PEOPLE = {
  owner: "owner@coterie.club",
  curator: "curator@coterie.club",
  irina: "irina.petrova@example.com",
  dmitry: "dmitry.orlov@example.com",
  sarah: "sarah.chen@example.com",
  olga: "olga.ivanova@example.com",
  james: "james.walker@example.com",
  anna: "anna.kuznetsova@example.com",
  priya: "priya.nair@example.com",
  tom: "tom.becker@example.com",
} as const;
type Person = keyof typeof PEOPLE;

type SeedItem = {
  key: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  author: Person;
  /** How long ago it was added. */
  daysAgo: number;
  quarter?: string;
  /** Letters of VOTERS. */
  voters: string;
  note?: string;
  comments?: Array<[Person, string]>;
  /** Merged into the item with this key. */
  mergedInto?: string;
};

const ITEMS: SeedItem[] = [
  {
    key: "backup-region",
    title: "Backups replicated to another region",
    description:
      "Keep a copy of every scheduled backup (volumes, managed databases, object storage snapshots) in a second region of our choice, so that losing a whole region never means losing data.\n\n- choose the target region per project\n- replication lag visible in the console\n- restore from the replica without opening a ticket",
    status: "PLANNED",
    author: "sarah",
    daysAgo: 340,
    quarter: "2027-Q1",
    voters: "AIDS",
    note: "Design review done with the working group; first regions are Frankfurt → Amsterdam and Moscow → St Petersburg.",
    comments: [
      ["dmitry", "Для нас критично, чтобы копия оставалась в пределах РФ. Можно ли будет выбрать пару регионов внутри страны?"],
      ["owner", "Yes: the region pair is yours to choose, within the data residency rules of the project."],
    ],
  },
  {
    key: "backup-second-region-dup",
    title: "Geo-redundant backups",
    description: "Backups should be stored in two regions automatically.",
    status: "UNDER_REVIEW",
    author: "james",
    daysAgo: 200,
    voters: "IS",
    mergedInto: "backup-region",
  },
  {
    key: "private-registry",
    title: "Private container registry with vulnerability scanning",
    description:
      "A registry inside our VPC, reachable without public endpoints, that scans every pushed image (OS packages and language dependencies) and can block deployments of images with critical CVEs.",
    status: "IN_PROGRESS",
    author: "owner",
    daysAgo: 320,
    quarter: "2026-Q4",
    voters: "AIDS",
    note: "Scanning engine chosen; private endpoints are in closed beta.",
    comments: [["sarah", "Please support cosign signatures so we can enforce signed images in admission control."]],
  },
  {
    key: "soc2-portal",
    title: "SOC 2 Type II report portal",
    description:
      "A self-service portal where clients download the current SOC 2 Type II report, bridge letters and ISO 27001 certificates under NDA, instead of asking their account manager each quarter.",
    status: "SHIPPED",
    author: "sarah",
    daysAgo: 360,
    voters: "ADS",
    note: "Live in the console under Security → Compliance reports.",
  },
  {
    key: "152fz-portal",
    title: "Документы о соответствии 152-ФЗ в консоли",
    description:
      "Нужен раздел с актуальными документами: модель угроз, аттестат соответствия ИСПДн, уровень защищённости. Сейчас каждый аудит начинается с переписки с менеджером.",
    status: "PLANNED",
    author: "irina",
    daysAgo: 300,
    quarter: "2027-Q1",
    voters: "IDA",
    comments: [["curator", "Передали юристам список документов, которые можно публиковать без NDA."]],
  },
  {
    key: "byok-hsm",
    title: "Customer-managed encryption keys in a dedicated HSM",
    description:
      "Bring our own keys (BYOK) and keep them in a FIPS 140-2 Level 3 HSM partition that only we control, for disks, object storage and managed databases. Revoking the key must make the data unreadable.",
    status: "IN_PROGRESS",
    author: "irina",
    daysAgo: 290,
    quarter: "2026-Q4",
    voters: "AIDS",
  },
  {
    key: "terraform-networking",
    title: "Terraform provider: full coverage of networking resources",
    description: "Route tables, NAT gateways, private endpoints and security group rules as first-class resources, with import for everything created in the console.",
    status: "SHIPPED",
    author: "owner",
    daysAgo: 330,
    voters: "DS",
    note: "Provider v2.4 covers every networking resource, with import.",
  },
  {
    key: "kafka-tiered",
    title: "Managed Kafka with tiered storage",
    description: "Keep hot data on local disks and offload older segments to object storage, so that retention of months does not cost months of SSD.",
    status: "PLANNED",
    author: "sarah",
    daysAgo: 250,
    quarter: "2027-Q2",
    voters: "SA",
  },
  {
    key: "s3-private-endpoints",
    title: "Приватные эндпоинты для объектного хранилища",
    description: "Доступ к бакетам из VPC без выхода в интернет и без NAT. Политики бакета должны разрешать доступ только через конкретный эндпоинт.",
    status: "IN_PROGRESS",
    author: "dmitry",
    daysAgo: 280,
    quarter: "2026-Q4",
    voters: "DIA",
  },
  {
    key: "audit-siem",
    title: "Audit log export to SIEM (Splunk, MaxPatrol SIEM, Elastic)",
    description: "Stream the console and API audit log to our SIEM in near real time, in a documented schema, with delivery guarantees.",
    status: "SHIPPED",
    author: "irina",
    daysAgo: 350,
    voters: "IDS",
    comments: [["olga", "Подтверждаю, коннектор к MaxPatrol SIEM работает, нормализация событий корректная."]],
  },
  {
    key: "budgets",
    title: "Per-project budgets and spend alerts",
    description: "Set a monthly budget per project and get alerts at 50 %, 80 % and 100 %, by email and webhook.",
    status: "SHIPPED",
    author: "curator",
    daysAgo: 365,
    voters: "AS",
  },
  {
    key: "pg-pitr",
    title: "Managed PostgreSQL: point-in-time recovery to any second",
    description: "Restore a managed PostgreSQL cluster to any second within the retention window, into a new cluster, without stopping the old one.",
    status: "PLANNED",
    author: "dmitry",
    daysAgo: 230,
    quarter: "2027-Q1",
    voters: "DSA",
  },
  {
    key: "object-lock",
    title: "Object Lock (WORM) for backups against ransomware",
    description: "Write-once retention on buckets, in governance and compliance modes, so that a stolen admin credential cannot delete our backups.",
    status: "IN_PROGRESS",
    author: "irina",
    daysAgo: 210,
    quarter: "2026-Q4",
    voters: "IAS",
  },
  {
    key: "gpu-time-slicing",
    title: "Kubernetes GPU node pools with time slicing",
    description: "Share one GPU between several inference pods, with quotas per namespace.",
    status: "UNDER_REVIEW",
    author: "sarah",
    daysAgo: 60,
    voters: "S",
  },
  {
    key: "sso-scim",
    title: "Единый вход через SAML и SCIM для консоли",
    description: "Вход в консоль через корпоративный IdP и автоматическое заведение и блокировка пользователей по SCIM.",
    status: "SHIPPED",
    author: "dmitry",
    daysAgo: 355,
    voters: "DIAS",
    note: "SAML 2.0 и SCIM 2.0 доступны всем организациям.",
  },
  {
    key: "dedicated-hosts",
    title: "Dedicated hosts for per-core licensed software",
    description: "Physical hosts reserved for one client, so that per-socket licences (Oracle, Windows Server) can be brought along.",
    status: "DECLINED",
    author: "james",
    daysAgo: 270,
    voters: "A",
    note: "We will not run dedicated hosts ourselves; our partner programme offers them with the same network.",
  },
  {
    key: "status-history",
    title: "Status page with per-region SLA history",
    description: "Twelve months of availability per region and per service, with incident reports, on a public status page.",
    status: "SHIPPED",
    author: "tom",
    daysAgo: 300,
    voters: "SD",
  },
  {
    key: "redis-failover",
    title: "Managed Redis with cross-zone failover",
    description: "Automatic failover to a replica in another availability zone in under 30 seconds, without changing the endpoint.",
    status: "PLANNED",
    author: "sarah",
    daysAgo: 190,
    quarter: "2027-Q2",
    voters: "SD",
  },
  {
    key: "secrets-rotation",
    title: "Secrets manager with automatic rotation of database credentials",
    description: "Rotate managed database passwords on a schedule and hand the new ones to applications through the secrets manager, with no downtime.",
    status: "IN_PROGRESS",
    author: "owner",
    daysAgo: 240,
    quarter: "2026-Q4",
    voters: "AID",
  },
  {
    key: "billing-tags",
    title: "Детализация счёта по тегам ресурсов",
    description: "Разбивка расходов по тегам (команда, продукт, окружение) в счёте и в выгрузке CSV.",
    status: "SHIPPED",
    author: "curator",
    daysAgo: 345,
    voters: "DI",
  },
  {
    key: "ipv6-vpc",
    title: "IPv6 in VPC",
    description: "Dual-stack subnets, IPv6 on load balancers and in security group rules.",
    status: "PLANNED",
    author: "tom",
    daysAgo: 180,
    quarter: "2027-Q3",
    voters: "D",
  },
  {
    key: "confidential-vms",
    title: "Confidential computing VMs (AMD SEV-SNP)",
    description: "Virtual machines whose memory is encrypted with keys the hypervisor never sees, with remote attestation.",
    status: "UNDER_REVIEW",
    author: "irina",
    daysAgo: 90,
    voters: "IA",
  },
  {
    key: "dr-runbooks",
    title: "Disaster recovery runbooks as code",
    description: "Describe the failover of a whole application (DNS, databases, queues) as a runbook we can test every quarter with one command.",
    status: "UNDER_REVIEW",
    author: "sarah",
    daysAgo: 45,
    voters: "S",
  },
  {
    key: "data-residency",
    title: "Data residency controls: pin resources to a country",
    description: "An organisation policy that refuses to create any resource, backup or replica outside the chosen countries.",
    status: "PLANNED",
    author: "irina",
    daysAgo: 220,
    quarter: "2027-Q1",
    voters: "IDA",
  },
  {
    key: "clickhouse",
    title: "Managed ClickHouse",
    description: "Clusters with sharding and replication, backups to object storage and access from our VPC only.",
    status: "IN_PROGRESS",
    author: "dmitry",
    daysAgo: 260,
    quarter: "2026-Q4",
    voters: "DS",
  },
  {
    key: "auditor-role",
    title: "Read-only auditor role for external auditors",
    description: "A role that sees configuration, IAM and audit logs across the organisation but can change nothing and read no data.",
    status: "SHIPPED",
    author: "irina",
    daysAgo: 310,
    voters: "IA",
  },
  {
    key: "sa-ip-restriction",
    title: "Сервисные аккаунты с ограничением по IP-адресам",
    description: "Ключи сервисных аккаунтов, которые работают только из заданных подсетей. Украденный ключ не должен работать снаружи.",
    status: "UNDER_REVIEW",
    author: "olga",
    daysAgo: 30,
    voters: "ID",
  },
  {
    key: "bare-metal-hourly",
    title: "Bare-metal servers on hourly billing",
    description: "Rent physical servers by the hour for benchmarks and short migrations.",
    status: "DECLINED",
    author: "priya",
    daysAgo: 250,
    voters: "",
    note: "Demand is too low for hourly bare metal; monthly bare metal stays available.",
  },
  {
    key: "serverless-containers",
    title: "Serverless containers with scale to zero",
    description: "Run a container image on request, billed per 100 ms, scaling to zero between requests.",
    status: "PLANNED",
    author: "james",
    daysAgo: 160,
    quarter: "2027-Q2",
    voters: "S",
  },
  {
    key: "egress-dashboard",
    title: "Egress cost dashboard with anomaly alerts",
    description: "Show outbound traffic by destination and service, and alert when egress costs jump above the usual pattern.",
    status: "UNDER_REVIEW",
    author: "tom",
    daysAgo: 75,
    voters: "A",
  },
  {
    key: "opensearch-anonymization",
    title: "Managed OpenSearch with a PII masking pipeline",
    description: "Mask card numbers, phone numbers and emails at ingestion, before logs are indexed.",
    status: "UNDER_REVIEW",
    author: "olga",
    daysAgo: 50,
    voters: "ID",
  },
  {
    key: "image-integrity",
    title: "Контроль целостности образов виртуальных машин",
    description: "Проверка подписи образа при запуске ВМ и журнал запусков из неподписанных образов.",
    status: "UNDER_REVIEW",
    author: "anna",
    daysAgo: 20,
    voters: "I",
  },
  {
    key: "transit-peering",
    title: "Cross-account VPC peering with transitive routing",
    description: "A transit hub that connects the VPCs of several accounts and on-premises links, with route tables we control.",
    status: "IN_PROGRESS",
    author: "dmitry",
    daysAgo: 200,
    quarter: "2027-Q1",
    voters: "DA",
  },
  {
    key: "golden-images",
    title: "Golden image pipeline for hardened VM images",
    description: "Build CIS-hardened images from our own recipes on a schedule, scan them, and publish them to the organisation only.",
    status: "UNDER_REVIEW",
    author: "anna",
    daysAgo: 100,
    voters: "",
  },
  {
    key: "pentest-summaries",
    title: "Quarterly penetration test summaries for clients",
    description: "A summary of the independent penetration tests of the platform, with findings and their remediation status, each quarter.",
    status: "SHIPPED",
    author: "irina",
    daysAgo: 280,
    voters: "IS",
  },
  {
    key: "waf-banking",
    title: "Web application firewall with managed rules for banking",
    description: "Managed rule sets for online banking fronts (credential stuffing, card testing), with rule changes we can review.",
    status: "PLANNED",
    author: "sarah",
    daysAgo: 150,
    quarter: "2027-Q2",
    voters: "SI",
  },
  {
    key: "k8s-backup",
    title: "Backup of managed Kubernetes volumes and manifests",
    description: "Scheduled backups of persistent volumes together with namespaces' manifests, restorable into another cluster.",
    status: "UNDER_REVIEW",
    author: "james",
    daysAgo: 40,
    voters: "D",
  },
  {
    key: "carbon-footprint",
    title: "Углеродный след по проектам",
    description: "Оценка выбросов CO₂ по проектам и регионам для ESG-отчётности.",
    status: "UNDER_REVIEW",
    author: "anna",
    daysAgo: 15,
    voters: "",
  },
  {
    key: "named-tam",
    title: "24/7 support in Russian with a named technical account manager",
    description: "A named TAM who knows our architecture, and round-the-clock support in Russian for severity 1 incidents.",
    status: "SHIPPED",
    author: "dmitry",
    daysAgo: 335,
    voters: "DIA",
  },
  {
    key: "spot-instances",
    title: "Spot instances for batch workloads",
    description: "Interruptible VMs at a discount for CI and batch jobs.",
    status: "DECLINED",
    author: "tom",
    daysAgo: 230,
    voters: "S",
    note: "Preemptible VMs already cover this need; see the documentation on preemptible instances.",
  },
  {
    key: "cold-archive",
    title: "Cold archive storage class",
    description: "A storage class for data kept 10 years for regulators, at a fraction of the standard price, with retrieval in hours.",
    status: "PLANNED",
    author: "irina",
    daysAgo: 120,
    quarter: "2027-Q3",
    voters: "IA",
  },
  {
    key: "api-quotas",
    title: "API rate limit and quota dashboard",
    description: "See how close each service account is to its API limits, and request increases from the same page.",
    status: "UNDER_REVIEW",
    author: "priya",
    daysAgo: 10,
    voters: "",
  },
];

const PATHS: Record<RoadmapStatus, RoadmapStatus[]> = {
  UNDER_REVIEW: ["UNDER_REVIEW"],
  PLANNED: ["UNDER_REVIEW", "PLANNED"],
  IN_PROGRESS: ["UNDER_REVIEW", "PLANNED", "IN_PROGRESS"],
  SHIPPED: ["UNDER_REVIEW", "PLANNED", "IN_PROGRESS", "SHIPPED"],
  DECLINED: ["UNDER_REVIEW", "DECLINED"],
};

/** A stable pseudo-random fraction for a string, so that re-runs place votes the same way. */
function fraction(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return ((hash >>> 0) % 1000) / 1000;
}

const seedId = (key: string) => `roadmap-${key}`;

export async function seedRoadmap(now = new Date()) {
  const users = await db.user.findMany({ where: { email: { in: Object.values(PEOPLE) } }, select: { id: true, email: true } });
  const userId = (email: string) => users.find((u) => u.email === email)?.id;
  const privateClient = await db.tier.findUnique({ where: { slug: "private-client" }, select: { voteWeight: true } });
  const weight = privateClient?.voteWeight ?? 3;
  const existing = new Set(
    (await db.roadmapItem.findMany({ where: { id: { in: ITEMS.map((i) => seedId(i.key)) } }, select: { id: true } })).map((i) => i.id),
  );
  const created: string[] = [];

  // Items merged into others go last, after their targets exist.
  const ordered = [...ITEMS.filter((i) => !i.mergedInto), ...ITEMS.filter((i) => i.mergedInto)];
  for (const item of ordered) {
    const id = seedId(item.key);
    if (existing.has(id)) continue;
    const createdAt = new Date(now.getTime() - item.daysAgo * DAY_MS);
    const path = item.author === "owner" || item.author === "curator" ? PATHS[item.status].slice(item.status === "UNDER_REVIEW" ? 0 : 1) : PATHS[item.status];
    const firstStatus = path[0] ?? item.status;
    const changes = path.slice(1).map((status, index, rest) => ({
      status,
      at: new Date(createdAt.getTime() + ((index + 1) / (rest.length + 1)) * (now.getTime() - createdAt.getTime() - 2 * DAY_MS)),
    }));
    const last = changes.at(-1);
    await db.$transaction(async (tx) => {
      await tx.roadmapItem.create({
        data: {
          id,
          title: item.title,
          ...described(item.description),
          status: item.status,
          targetQuarter: item.quarter ?? null,
          authorId: userId(PEOPLE[item.author]) ?? null,
          statusChangedAt: last?.at ?? createdAt,
          createdAt,
          updatedAt: last?.at ?? createdAt,
        },
      });
      await tx.roadmapStatusChange.create({
        data: { itemId: id, fromStatus: null, toStatus: firstStatus, changedById: userId(PEOPLE[item.author]) ?? null, createdAt },
      });
      let from = firstStatus;
      for (const [index, change] of changes.entries()) {
        const final = index === changes.length - 1;
        await tx.roadmapStatusChange.create({
          data: {
            itemId: id,
            fromStatus: from,
            toStatus: change.status,
            note: final ? (item.note ?? null) : null,
            changedById: userId(index % 2 ? PEOPLE.curator : PEOPLE.owner) ?? null,
            createdAt: change.at,
          },
        });
        from = change.status;
      }
      // Votes come in over the months after an item appears.
      const votes = [...item.voters].flatMap((letter) => {
        const voter = userId(VOTERS[letter as keyof typeof VOTERS]);
        if (!voter) return [];
        const span = Math.max(1, (last?.at ?? now).getTime() - createdAt.getTime());
        return [{ itemId: id, userId: voter, weight, createdAt: new Date(createdAt.getTime() + fraction(`${item.key}${letter}`) * span) }];
      });
      if (votes.length) await tx.roadmapVote.createMany({ data: votes, skipDuplicates: true });
      for (const [index, [person, body]] of (item.comments ?? []).entries()) {
        const author = userId(PEOPLE[person]);
        if (!author) continue;
        const written = new Date(createdAt.getTime() + (index + 1) * 3 * DAY_MS + fraction(body) * DAY_MS);
        await tx.roadmapComment.create({
          data: {
            itemId: id,
            authorId: author,
            bodyMd: body,
            bodyHtml: renderMarkdown(body),
            createdAt: written,
            updatedAt: written,
          },
        });
      }
    });
    created.push(id);
  }

  for (const item of ITEMS.filter((i) => i.mergedInto)) {
    const id = seedId(item.key);
    if (!created.includes(id)) continue;
    const intoId = seedId(item.mergedInto!);
    const mergedAt = new Date(now.getTime() - Math.min(item.daysAgo - 5, 60) * DAY_MS);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`
        UPDATE "RoadmapVote" SET "itemId" = ${intoId}
        WHERE "itemId" = ${id} AND "userId" NOT IN (SELECT "userId" FROM "RoadmapVote" WHERE "itemId" = ${intoId})`;
      await tx.roadmapVote.deleteMany({ where: { itemId: id } });
      await tx.roadmapItem.update({ where: { id }, data: { mergedIntoId: intoId, mergedAt, mergedById: userId(PEOPLE.owner) ?? null, updatedAt: mergedAt } });
    });
    created.push(intoId);
  }

  if (!created.length) return;
  // Every voter has a standing row; then standings follow their subscriptions and totals follow the votes.
  // A voter's standing dates from their first vote.
  const voters = await db.roadmapVote.groupBy({ by: ["userId"], where: { itemId: { in: created } }, _min: { createdAt: true } });
  await db.roadmapVoter.createMany({
    data: voters.map((v) => ({ userId: v.userId, counting: true, changedAt: v._min.createdAt ?? now })),
    skipDuplicates: true,
  });
  await syncVoterStandings(now);
  await db.$transaction(async (tx) => recountItems(tx, created));
}
