import type { ApplicationDecisionKind, ApplicationStatus, CriterionKind } from "../../app/generated/prisma/client";
import { db } from "../../app/db.server";
import { generateToken, hashToken } from "../../app/auth/tokens.server";
import { clubFoundedAt } from "./foundation";

/**
 * The demo club's admission data: the criteria of an invitation-only client club,
 * a dozen applications in every state with reviews and decisions, invite codes and
 * vouches. Re-runnable: criteria are upserted by id, the rest is skipped when present.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

type SeedCriterion = {
  id: string;
  kind: CriterionKind;
  required: boolean;
  titleEn: string;
  titleRu: string;
  descriptionEn: string;
  descriptionRu: string;
  optionsEn?: string[];
  optionsRu?: string[];
};

export const CRITERIA: SeedCriterion[] = [
  {
    id: "criterion-co-innovation",
    kind: "SCALE",
    required: true,
    titleEn: "Readiness to co-innovate",
    titleRu: "Готовность к совместным инновациям",
    descriptionEn: "How ready is your team to pilot services before they ship and give our engineers candid feedback?",
    descriptionRu: "Насколько ваша команда готова пилотировать сервисы до релиза и давать нашим инженерам честную обратную связь?",
  },
  {
    id: "criterion-expertise",
    kind: "TEXT",
    required: true,
    titleEn: "Expertise in security and cloud",
    titleRu: "Экспертиза в безопасности и облаках",
    descriptionEn: "The systems you run or protect, incidents you handled, talks or papers: whatever shows your depth.",
    descriptionRu: "Системы, которые вы строите или защищаете, инциденты, которые вы разбирали, доклады и статьи: всё, что показывает глубину.",
  },
  {
    id: "criterion-growth",
    kind: "CHOICE",
    required: true,
    titleEn: "Growth potential",
    titleRu: "Потенциал роста",
    descriptionEn: "How much do you expect your cloud footprint to grow over the next two years?",
    descriptionRu: "Насколько, по вашим ожиданиям, вырастет ваше использование облака за два года?",
    optionsEn: ["Stable", "Up to 50 %", "50 to 100 %", "More than double"],
    optionsRu: ["Без изменений", "До 50 %", "От 50 до 100 %", "Более чем вдвое"],
  },
  {
    id: "criterion-community",
    kind: "TEXT",
    required: false,
    titleEn: "What you bring to the community",
    titleRu: "Что вы принесёте сообществу",
    descriptionEn: "Mentoring, talks, open jobs, introductions: how would other members benefit from you being here?",
    descriptionRu: "Менторство, доклады, вакансии, знакомства: чем ваше участие будет полезно другим?",
  },
];

type SeedApplication = {
  email: string;
  name: string;
  company: string;
  jobTitle: string;
  locale: "en" | "ru";
  status: ApplicationStatus;
  daysAgo: number;
  answers: [scale: string, expertise: string, growth: string, community?: string];
  /** Scores per reviewer (owner, curator), in criteria order. */
  reviews?: Array<{ by: "owner" | "curator"; scores: [number, number, number, number]; comment: string }>;
  decision?: { kind: ApplicationDecisionKind; by: "owner" | "curator"; reason?: string };
  vouchedBy?: string;
  withCode?: boolean;
};

const APPLICATIONS: SeedApplication[] = [
  {
    email: "lena.zhukova@example.com",
    name: "Lena Zhukova",
    company: "Avito Security",
    jobTitle: "AppSec Lead",
    locale: "ru",
    status: "NEW",
    daysAgo: 2,
    answers: ["5", "Веду программу AppSec на 300 разработчиков, внедрила SAST и bug bounty.", "2", "Готова менторить девушек, которые приходят в AppSec из разработки."],
  },
  {
    email: "marco.rossi@example.com",
    name: "Marco Rossi",
    company: "Velia Logistics",
    jobTitle: "Head of Cloud Platform",
    locale: "en",
    status: "NEW",
    daysAgo: 4,
    answers: ["4", "Moved 120 services to Kubernetes across three regions; I run our platform team of 14.", "3", "Talks on multi-region failover and a standing offer to review migration plans."],
    vouchedBy: "irina.petrova@example.com",
  },
  {
    email: "aisha.karimova@example.com",
    name: "Aisha Karimova",
    company: "Kazan Fintech Hub",
    jobTitle: "Security Architect",
    locale: "ru",
    status: "NEW",
    daysAgo: 6,
    answers: ["3", "Проектирую зоны доверия для платёжной инфраструктуры, PCI DSS.", "1"],
    withCode: true,
  },
  {
    email: "daniel.weber@example.com",
    name: "Daniel Weber",
    company: "Nordlicht Energy",
    jobTitle: "CISO",
    locale: "en",
    status: "IN_REVIEW",
    daysAgo: 12,
    answers: ["5", "CISO for a grid operator: OT security, incident response for two nation-state campaigns.", "2", "A working group on OT security; I can host a session every quarter."],
    reviews: [
      { by: "owner", scores: [5, 5, 3, 5], comment: "Exactly the co-innovation partner we want for the OT pilot." },
      { by: "curator", scores: [4, 5, 3, 4], comment: "Strong expertise. Ask about the time he can give the working group." },
    ],
  },
  {
    email: "svetlana.popova@example.com",
    name: "Svetlana Popova",
    company: "Rostelecom Cloud",
    jobTitle: "DevSecOps Engineer",
    locale: "ru",
    status: "IN_REVIEW",
    daysAgo: 15,
    answers: ["4", "Строю конвейер безопасной поставки: подписи образов, SBOM, политики admission.", "3", "Могу вести разборы инцидентов в цепочке поставок."],
    reviews: [{ by: "curator", scores: [4, 4, 4, 5], comment: "Очень активна в сообществе, выступала на PHDays." }],
  },
  {
    email: "kevin.obrien@example.com",
    name: "Kevin O'Brien",
    company: "Harbor Insurance",
    jobTitle: "IT Director",
    locale: "en",
    status: "IN_REVIEW",
    daysAgo: 20,
    answers: ["2", "Manage outsourced infrastructure; moving email and files to the cloud this year.", "1"],
    reviews: [
      { by: "owner", scores: [2, 2, 2, 2], comment: "Early in the journey; the Community tier may suit better later." },
      { by: "curator", scores: [3, 2, 2, 3], comment: "" },
    ],
  },
  {
    email: "yulia.sergeeva@example.com",
    name: "Yulia Sergeeva",
    company: "MTS Digital",
    jobTitle: "Product Security Manager",
    locale: "ru",
    status: "WAITLISTED",
    daysAgo: 30,
    answers: ["3", "Отвечаю за безопасность продуктовой линейки из 12 сервисов.", "2", "Вакансии в команду продуктовой безопасности."],
    reviews: [
      { by: "owner", scores: [3, 4, 3, 3], comment: "Good fit, but the Private Client cohort is full this quarter." },
      { by: "curator", scores: [3, 3, 3, 4], comment: "" },
    ],
    decision: { kind: "WAITLIST", by: "curator" },
  },
  {
    email: "chen.wei@example.com",
    name: "Chen Wei",
    company: "Lotus Games",
    jobTitle: "VP Infrastructure",
    locale: "en",
    status: "APPROVED",
    // Decided five days ago: the invitation (valid 14 days) is still open.
    daysAgo: 10,
    answers: ["5", "Runs game backends for 30M players; led our zero-trust rollout.", "3", "Mentoring on scaling SRE teams; two open staff roles each quarter."],
    reviews: [
      { by: "owner", scores: [5, 5, 4, 5], comment: "Yes." },
      { by: "curator", scores: [5, 4, 4, 5], comment: "Great addition to the working group." },
    ],
    decision: { kind: "APPROVE", by: "owner" },
  },
  {
    email: "pavel.ivanov@example.com",
    name: "Pavel Ivanov",
    company: "Freelance",
    jobTitle: "Consultant",
    locale: "ru",
    status: "REJECTED",
    daysAgo: 45,
    answers: ["1", "Консультирую малый бизнес по настройке офисной сети.", "0"],
    reviews: [
      { by: "owner", scores: [1, 2, 1, 1], comment: "Not the profile of this club." },
      { by: "curator", scores: [2, 2, 1, 2], comment: "" },
    ],
    decision: {
      kind: "REJECT",
      by: "owner",
      reason: "Клуб объединяет команды, которые строят и защищают крупные облачные системы. Будем рады новой заявке, когда ваш опыт будет ближе к этому профилю.",
    },
  },
  {
    email: "noah.fischer@example.com",
    name: "Noah Fischer",
    company: "Brightline Health",
    jobTitle: "Cloud Security Engineer",
    locale: "en",
    status: "UNVERIFIED",
    daysAgo: 1,
    answers: ["4", "Guard rails for 40 AWS accounts; detection engineering.", "2"],
  },
];

async function seedCriteria(now: Date) {
  const founded = clubFoundedAt(now);
  for (const [index, criterion] of CRITERIA.entries()) {
    const data = {
      kind: criterion.kind,
      required: criterion.required,
      titleEn: criterion.titleEn,
      titleRu: criterion.titleRu,
      descriptionEn: criterion.descriptionEn,
      descriptionRu: criterion.descriptionRu,
      optionsEn: criterion.optionsEn ?? [],
      optionsRu: criterion.optionsRu ?? [],
    };
    await db.admissionCriterion.upsert({ where: { id: criterion.id }, update: {}, create: { id: criterion.id, position: index + 1, ...data, createdAt: founded, updatedAt: founded } });
  }
}

async function seedInviteCodes(ownerId: string, now: Date) {
  if (await db.invite.count({ where: { source: "OWNER" } })) return;
  const batch = "demo-batch";
  const specs = [
    { note: "Cloud Summit speakers", email: null, expiresAt: new Date(now.getTime() + 30 * DAY_MS) },
    { note: "Cloud Summit speakers", email: null, expiresAt: new Date(now.getTime() + 30 * DAY_MS) },
    { note: "For the CTO's guest", email: "guest.of.cto@example.com", expiresAt: new Date(now.getTime() + 14 * DAY_MS) },
    { note: "Last year's event", email: null, expiresAt: new Date(now.getTime() - 10 * DAY_MS) },
    { note: "Sent by mistake", email: null, expiresAt: new Date(now.getTime() + 20 * DAY_MS), revokedAt: new Date(now.getTime() - DAY_MS) },
  ];
  for (const spec of specs) {
    const code = generateToken();
    await db.invite.create({
      data: {
        source: "OWNER",
        tokenHash: hashToken(code),
        code,
        email: spec.email,
        note: spec.note,
        batch,
        createdById: ownerId,
        expiresAt: spec.expiresAt,
        revokedAt: spec.revokedAt ?? null,
        createdAt: new Date(now.getTime() - 25 * DAY_MS),
      },
    });
  }
}

export async function seedAdmission(now = new Date()) {
  await seedCriteria(now);
  const [owner, curator] = await Promise.all([
    db.user.findUnique({ where: { email: "owner@coterie.club" } }),
    db.user.findUnique({ where: { email: "curator@coterie.club" } }),
  ]);
  if (!owner || !curator) return;
  const staff = { owner: owner.id, curator: curator.id };
  await seedInviteCodes(owner.id, now);

  const irina = await db.user.findUnique({ where: { email: "irina.petrova@example.com" } });
  if (irina && !(await db.vouch.count({ where: { voucherId: irina.id } }))) {
    await db.vouch.create({
      data: {
        voucherId: irina.id,
        email: "sofia.lind@example.com",
        name: "Sofia Lind",
        note: "We worked together on the bank's incident response; she would be a great mentor here.",
        tokenHash: hashToken(generateToken()),
        createdAt: new Date(now.getTime() - 3 * DAY_MS),
      },
    });
  }

  for (const spec of APPLICATIONS) {
    if (await db.application.findFirst({ where: { email: spec.email }, select: { id: true } })) continue;
    const createdAt = new Date(now.getTime() - spec.daysAgo * DAY_MS);
    await db.$transaction(async (tx) => {
      let vouchId: string | null = null;
      if (spec.vouchedBy) {
        const voucher = await tx.user.findUnique({ where: { email: spec.vouchedBy } });
        if (voucher) {
          const vouch = await tx.vouch.upsert({
            where: { voucherId_email: { voucherId: voucher.id, email: spec.email } },
            update: {},
            create: {
              voucherId: voucher.id,
              email: spec.email,
              name: spec.name,
              tokenHash: hashToken(generateToken()),
              createdAt: new Date(createdAt.getTime() - 2 * DAY_MS),
            },
          });
          vouchId = vouch.id;
        }
      }
      let inviteCodeId: string | null = null;
      if (spec.withCode) {
        const code = generateToken();
        const invite = await tx.invite.create({
          data: {
            source: "OWNER",
            tokenHash: hashToken(code),
            code,
            note: "Partner referral",
            createdById: staff.owner,
            expiresAt: new Date(createdAt.getTime() + 30 * DAY_MS),
            usedAt: createdAt,
            createdAt: new Date(createdAt.getTime() - 5 * DAY_MS),
          },
        });
        inviteCodeId = invite.id;
      }
      const application = await tx.application.create({
        data: {
          email: spec.email,
          name: spec.name,
          company: spec.company,
          jobTitle: spec.jobTitle,
          locale: spec.locale,
          status: spec.status,
          accessTokenHash: hashToken(generateToken()),
          consentedAt: createdAt,
          emailVerifiedAt: spec.status === "UNVERIFIED" ? null : new Date(createdAt.getTime() + 60 * 60 * 1000),
          vouchId,
          inviteCodeId,
          rejectionReason: spec.decision?.reason ?? null,
          createdAt,
          updatedAt: spec.decision
            ? new Date(createdAt.getTime() + 5 * DAY_MS)
            : spec.reviews?.length
              ? new Date(createdAt.getTime() + (spec.reviews.length + 1) * DAY_MS)
              : spec.status === "UNVERIFIED"
                ? createdAt
                : new Date(createdAt.getTime() + 60 * 60 * 1000),
          answers: {
            create: spec.answers
              .map((value, index) => ({ criterionId: CRITERIA[index].id, value: value ?? "" }))
              .filter((answer) => answer.value !== ""),
          },
        },
      });
      for (const [index, review] of (spec.reviews ?? []).entries()) {
        await tx.applicationReview.create({
          data: {
            applicationId: application.id,
            reviewerId: staff[review.by],
            comment: review.comment,
            // Reviewed in the days after the address was verified, before any decision.
            createdAt: new Date(createdAt.getTime() + (index + 2) * DAY_MS),
            updatedAt: new Date(createdAt.getTime() + (index + 2) * DAY_MS + 40 * 60 * 1000),
            scores: { create: review.scores.map((score, i) => ({ criterionId: CRITERIA[i].id, score })) },
          },
        });
      }
      if (spec.decision) {
        const decidedAt = new Date(createdAt.getTime() + 5 * DAY_MS);
        await tx.applicationDecision.create({
          data: {
            applicationId: application.id,
            kind: spec.decision.kind,
            reason: spec.decision.reason ?? null,
            decidedById: staff[spec.decision.by],
            createdAt: decidedAt,
          },
        });
        if (spec.decision.kind === "APPROVE") {
          await tx.invite.create({
            data: {
              source: "APPROVAL",
              tokenHash: hashToken(generateToken()),
              email: spec.email,
              applicationId: application.id,
              createdById: staff[spec.decision.by],
              emailedAt: decidedAt,
              expiresAt: new Date(now.getTime() + 9 * DAY_MS),
              createdAt: decidedAt,
            },
          });
        }
      }
    });
  }
}
