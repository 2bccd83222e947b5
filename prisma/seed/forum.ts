import { db } from "../../app/db.server";
import { renderPost } from "../../app/forum/render.server";
import { clubFoundedAt } from "./foundation";

/**
 * The demo club's forum: five categories gated by tier, and Russian and English threads
 * by the seeded members (prisma/seed/foundation.ts MEMBERS), spread over the past
 * months, with helpful marks and mentions. Re-runnable: categories are upserted by slug
 * (an owner's later edits are kept), and a category that already has threads is skipped.
 */
type Access = "read" | "post";

const CATEGORIES: Array<{
  slug: string;
  nameEn: string;
  nameRu: string;
  descriptionEn: string;
  descriptionRu: string;
  position: number;
  tiers: Record<"community" | "professional" | "private-client", Access | null>;
}> = [
  {
    slug: "introductions",
    nameEn: "Introductions",
    nameRu: "Знакомства",
    descriptionEn: "New here? Tell the club who you are, what you work on and what you would like to learn.",
    descriptionRu: "Новенькие? Расскажите клубу, кто вы, чем занимаетесь и чему хотите научиться.",
    position: 10,
    tiers: { community: "post", professional: "post", "private-client": "post" },
  },
  {
    slug: "ask-the-cto",
    nameEn: "Ask the CTO",
    nameRu: "Вопрос CTO",
    descriptionEn: "Questions for Northwind Cloud's CTO and the working group. Professional and Private Client members.",
    descriptionRu: "Вопросы CTO Northwind Cloud и рабочей группе. Для участников Professional и Private Client.",
    position: 20,
    tiers: { community: null, professional: "post", "private-client": "post" },
  },
  {
    slug: "jobs",
    nameEn: "Jobs for members only",
    nameRu: "Вакансии только для участников",
    descriptionEn: "Roles that never reach public job boards. Members skip the first screening call.",
    descriptionRu: "Вакансии, которых нет на открытых площадках. Участники клуба пропускают первый скрининг.",
    position: 30,
    tiers: { community: "post", professional: "post", "private-client": "post" },
  },
  {
    slug: "security-war-stories",
    nameEn: "Security war stories",
    nameRu: "Истории из практики безопасности",
    descriptionEn: "Incidents, investigations and what we learned. Everyone reads; Professional and Private Client members write.",
    descriptionRu: "Инциденты, расследования и выводы. Читают все, пишут участники Professional и Private Client.",
    position: 40,
    tiers: { community: "read", professional: "post", "private-client": "post" },
  },
  {
    slug: "off-topic",
    nameEn: "Off-topic",
    nameRu: "Обо всём",
    descriptionEn: "Books, meetups, travel and everything else.",
    descriptionRu: "Книги, встречи, путешествия и всё остальное.",
    position: 50,
    tiers: { community: "post", professional: "post", "private-client": "post" },
  },
];

type SeedPost = { by: string; hoursAfter: number; body: string; helpfulBy?: string[] };
type SeedThread = {
  category: string;
  title: string;
  by: string;
  daysAgo: number;
  body: string;
  pinned?: boolean;
  locked?: boolean;
  replies: SeedPost[];
};

const THREADS: SeedThread[] = [
  {
    category: "introductions",
    title: "Правила клуба / Club rules",
    by: "curator@coterie.club",
    daysAgo: 500,
    pinned: true,
    locked: true,
    body: `**Добро пожаловать в клуб!** Несколько правил:

1. Всё, что написано здесь, остаётся внутри клуба. Не пересылайте сообщения без согласия автора.
2. Пишите по-русски или по-английски — как удобнее.
3. Вакансии — только в разделе «Вакансии только для участников».
4. Если что-то не так, нажмите «Пожаловаться»: кураторы читают каждую жалобу.

**Welcome to the club!** A few rules:

1. What is written here stays here. Do not forward posts without the author's consent.
2. Write in Russian or English, whichever you prefer.
3. Jobs go to "Jobs for members only".
4. If something is wrong, use "Report": curators read every report.`,
    replies: [],
  },
  {
    category: "introductions",
    title: "Всем привет! Ольга, Threat Intelligence",
    by: "olga.ivanova@example.com",
    daysAgo: 380,
    body: `Привет! Я Ольга, руковожу направлением Threat Intelligence в Kaspersky. Занимаюсь APT-группировками, которые атакуют финансовый сектор.

Буду рада обсудить обмен индикаторами компрометации между участниками клуба — возможно, стоит завести для этого отдельную тему.`,
    replies: [
      {
        by: "anna.kuznetsova@example.com",
        hoursAfter: 3,
        body: "Ольга, привет! Идея с обменом IOC отличная. Предлагаю формат: раз в месяц сводка в «Историях из практики».",
        helpfulBy: ["olga.ivanova@example.com"],
      },
      {
        by: "curator@coterie.club",
        hoursAfter: 26,
        body: "Поддерживаю! Закрепим такую тему, как только появится первая сводка.",
      },
    ],
  },
  {
    category: "introductions",
    title: "Hello from Helix Payments",
    by: "sarah.chen@example.com",
    daysAgo: 300,
    body: `Hi all! I'm Sarah, VP Engineering at Helix Payments. We run card processing for about 2,000 merchants across the EU, mostly on Kubernetes in two regions.

I'm here to learn how others handle **PCI DSS scope** in shared clusters, and I'm happy to talk about incident response on payment rails.`,
    replies: [
      {
        by: "james.walker@example.com",
        hoursAfter: 20,
        body: "Welcome, Sarah! We went through PCI scoping for our analytics pipeline last year. Short version: **separate node pools** and strict network policies saved us weeks of audit.",
        helpfulBy: ["sarah.chen@example.com", "priya.nair@example.com"],
      },
      {
        by: "irina.petrova@example.com",
        hoursAfter: 50,
        body: "Добро пожаловать! В Сбер Security Lab была похожая задача с сегментацией. Если интересно, расскажу, как мы готовились к аудиту.",
      },
    ],
  },
  {
    category: "introductions",
    title: "New here: SRE at Lumen Retail",
    by: "tom.becker@example.com",
    daysAgo: 110,
    body: "Hey everyone, Tom here. I manage the SRE team at Lumen Retail: e-commerce for forty stores, all on Northwind Cloud. Interested in on-call health, SLOs the business actually reads, and cost. Say hi!",
    replies: [
      {
        by: "priya.nair@example.com",
        hoursAfter: 5,
        body: "Hi Tom! Priya from Arcadia Health. Let's talk on-call rotations: we moved to follow-the-sun last quarter and it changed everything.",
      },
      {
        by: "ksenia.lebedeva@example.com",
        hoursAfter: 30,
        body: "Привет, Том! Welcome. В VK Tech тоже большой интерес к SLO — давай сравним дашборды.",
      },
    ],
  },
  {
    category: "ask-the-cto",
    title: "Когда в управляемом PostgreSQL появится кросс-регионная логическая репликация?",
    by: "dmitry.orlov@example.com",
    daysAgo: 200,
    body: `Мы строим платформу с активным резервом в двух регионах. Сейчас приходится держать самописный CDC на Debezium поверх виртуальных машин — дорого и хрупко.

Вопрос к CTO: есть ли в планах **логическая репликация между регионами** для managed PostgreSQL? И если да, будет ли поддержка \`pg_failover_slots\`?`,
    replies: [
      {
        by: "owner@coterie.club",
        hoursAfter: 40,
        body: "Thanks, Dmitry — this came up in the working group too. I've passed it to our CTO's office: cross-region logical replication is in design now. I'll post the timeline here once the roadmap item is public.",
      },
      {
        by: "sarah.chen@example.com",
        hoursAfter: 70,
        body: `+1 from Helix. We'd use it for our ledger database. Today we run pglogical by hand:

\`\`\`sql
SELECT pglogical.create_subscription(
  subscription_name := 'ledger_eu_west',
  provider_dsn := 'host=ledger-primary dbname=ledger'
);
\`\`\`

It works, but failover is scary.`,
        helpfulBy: ["dmitry.orlov@example.com", "irina.petrova@example.com", "olga.ivanova@example.com"],
      },
      {
        by: "dmitry.orlov@example.com",
        hoursAfter: 96,
        body: "@Sarah Chen спасибо, очень полезно! Выходит, мы не одни с этой болью.",
      },
    ],
  },
  {
    category: "ask-the-cto",
    title: "How do you think about KMS key rotation for customer-managed keys?",
    by: "james.walker@example.com",
    daysAgo: 90,
    body: `Our auditors want 90-day rotation of customer-managed keys, but re-encrypting 40 TB of object storage every quarter is not realistic.

Is envelope encryption with rotation of the *key-encryption key* only considered sufficient on Northwind? What do other members tell their auditors?`,
    replies: [
      {
        by: "irina.petrova@example.com",
        hoursAfter: 6,
        body: "У нас аудиторы приняли ротацию только KEK, если DEK уникален для каждого объекта и это задокументировано. Главное — журнал всех операций с ключами.",
        helpfulBy: ["james.walker@example.com", "anna.kuznetsova@example.com"],
      },
      {
        by: "owner@coterie.club",
        hoursAfter: 28,
        body: "Irina is right — that is the model our KMS is built for. Our CTO wrote a short note for auditors; I'll ask the team to share it with the working group.",
        helpfulBy: ["olga.ivanova@example.com"],
      },
      {
        by: "james.walker@example.com",
        hoursAfter: 30,
        body: "That's exactly what I needed, thank you both.",
      },
    ],
  },
  {
    category: "ask-the-cto",
    title: "Экспорт аудит-логов в SIEM: будет ли нативный коннектор?",
    by: "anna.kuznetsova@example.com",
    daysAgo: 25,
    body: "Сейчас мы забираем аудит-логи через API раз в пять минут и отправляем в наш SIEM. Хотелось бы push-доставку с гарантией «хотя бы один раз». Есть ли это в планах?",
    replies: [
      {
        by: "olga.ivanova@example.com",
        hoursAfter: 20,
        body: "Присоединяюсь. Для расследований задержка в пять минут — это много.",
      },
      {
        by: "curator@coterie.club",
        hoursAfter: 44,
        body: "Передала вопрос команде CTO. Пока можно настроить экспорт в очередь сообщений — инструкцию выложу здесь.",
      },
    ],
  },
  {
    category: "jobs",
    title: "Hiring: Senior Detection Engineer (remote, EU)",
    by: "sarah.chen@example.com",
    daysAgo: 40,
    body: `Helix Payments is hiring a **Senior Detection Engineer**: detections for card fraud and account takeover, Sigma rules, and a small data platform.

- Remote within the EU
- Salary band shared on request
- Members of the club skip the first screening call

Reply here or write to me directly.`,
    replies: [
      {
        by: "elena.morozova@example.com",
        hoursAfter: 22,
        body: "Sarah, а рассматриваете ли вы кандидатов из Сербии? Есть хорошая знакомая — пентестер с опытом в детекте.",
      },
      {
        by: "sarah.chen@example.com",
        hoursAfter: 30,
        body: "@Elena Morozova yes, Serbia works for us. Please send her my way!",
      },
    ],
  },
  {
    category: "jobs",
    title: "Вакансия: DevSecOps-инженер в Yandex Cloud",
    by: "anna.kuznetsova@example.com",
    daysAgo: 12,
    body: "Ищем в команду DevSecOps-инженера: безопасность CI/CD, подпись артефактов, SBOM. Можно удалённо из любого города. Участникам клуба — быстрый процесс: одно техническое интервью и встреча с командой.",
    replies: [
      {
        by: "ksenia.lebedeva@example.com",
        hoursAfter: 6,
        body: "Анна, а нужен ли опыт с Sigstore и cosign? Могу порекомендовать коллегу.",
      },
      {
        by: "anna.kuznetsova@example.com",
        hoursAfter: 9,
        body: "Ксения, да, cosign — большой плюс. Присылай контакты!",
      },
    ],
  },
  {
    category: "security-war-stories",
    title: "Как мы нашли утечку через забытый S3-бакет",
    by: "irina.petrova@example.com",
    daysAgo: 150,
    body: `Рассказываю историю, пока свежо. Подрядчик полгода назад сделал публичный бакет для обмена выгрузками и забыл про него. В выгрузках — тестовые данные, но с реальными адресами сотрудников.

Нашли мы его не сканером, а по **подозрительному трафику**: кто-то регулярно скачивал одни и те же файлы. Выводы:

1. Инвентаризация хранилищ — ежемесячно и автоматически.
2. Запрет публичного доступа политикой на уровне организации.
3. Подрядчикам — отдельные аккаунты с истекающим доступом.

Расследование утечки заняло три дня, а закрыть дыру — десять минут.`,
    replies: [
      {
        by: "olga.ivanova@example.com",
        hoursAfter: 18,
        body: "Ирина, спасибо! У нас был похожий случай, только с открытым Elasticsearch. Индикаторы: сканирование с хостингов и много запросов `_search` без авторизации.",
        helpfulBy: ["irina.petrova@example.com"],
      },
      {
        by: "james.walker@example.com",
        hoursAfter: 45,
        body: "Great write-up. We now block public buckets with an organization policy and alert on every bucket policy change — it caught two mistakes in the first month.",
        helpfulBy: ["irina.petrova@example.com", "dmitry.orlov@example.com"],
      },
    ],
  },
  {
    category: "security-war-stories",
    title: "The night our on-call pager was the attacker's best friend",
    by: "james.walker@example.com",
    daysAgo: 60,
    body: `A story from last winter: an attacker with a phished SSO session triggered dozens of fake alerts at 3 a.m. While on-call chased them, they quietly created an access key.

Lessons:
- Alert *floods* are themselves a signal.
- Creating an access key should page, always.
- Phishing-resistant MFA (FIDO2) for everyone on call.

Has anyone seen alert fatigue used deliberately like this?`,
    replies: [
      {
        by: "olga.ivanova@example.com",
        hoursAfter: 8,
        body: "Да, это известная тактика. В отчётах по APT-группировкам мы видели «шумовые» атаки как отвлекающий манёвр. Ваш второй пункт — золото.",
        helpfulBy: ["james.walker@example.com"],
      },
      {
        by: "maria.garcia@example.com",
        hoursAfter: 33,
        body: "We saw the same at Solace Bank: the flood came from a compromised monitoring integration. FIDO2 for on-call was our fix too.",
      },
    ],
  },
  {
    category: "security-war-stories",
    title: "Разбор фишинговой кампании против финтеха",
    by: "olga.ivanova@example.com",
    daysAgo: 4,
    body: "Коротко о кампании, которую мы наблюдаем последние две недели: письма от имени регулятора, во вложениях — ISO-образы с LNK-файлами. Цель — бухгалтерия и казначейство.\n\nИндикаторы — в закрытом отчёте, участникам могу прислать лично.",
    replies: [
      {
        by: "irina.petrova@example.com",
        hoursAfter: 20,
        body: "@Olga Ivanova пришли, пожалуйста. У нас уже два похожих письма в карантине.",
      },
      {
        by: "dmitry.orlov@example.com",
        hoursAfter: 46,
        body: "Спасибо за разбор. Добавили блокировку ISO-вложений на почтовом шлюзе.",
        helpfulBy: ["olga.ivanova@example.com"],
      },
    ],
  },
  {
    category: "off-topic",
    title: "Books that changed how you think about security",
    by: "priya.nair@example.com",
    daysAgo: 70,
    body: "Mine: *Security Engineering* by Ross Anderson (the third edition is free online) and *The Cuckoo's Egg*. What's on your shelf?",
    replies: [
      {
        by: "tom.becker@example.com",
        hoursAfter: 3,
        body: "*Site Reliability Engineering* — not security, but it changed how I think about failure.",
      },
      {
        by: "elena.morozova@example.com",
        hoursAfter: 26,
        body: "«Искусство обмана» Кевина Митника — классика социальной инженерии.",
        helpfulBy: ["priya.nair@example.com"],
      },
      {
        by: "ksenia.lebedeva@example.com",
        hoursAfter: 50,
        body: "*Thinking in Systems* by Donella Meadows.",
      },
    ],
  },
  {
    category: "off-topic",
    title: "Встреча участников в Москве в декабре?",
    by: "ksenia.lebedeva@example.com",
    daysAgo: 6,
    body: "Коллеги, может, соберёмся офлайн в декабре? Предлагаю неформальный ужин после конференции. Кто за?",
    replies: [
      { by: "elena.morozova@example.com", hoursAfter: 2, body: "Я за! Только не в пятницу." },
      {
        by: "curator@coterie.club",
        hoursAfter: 24,
        body: "Отличная идея — клуб возьмёт на себя бронь. @Ksenia Lebedeva, давай обсудим детали.",
      },
      { by: "anna.kuznetsova@example.com", hoursAfter: 48, body: "Буду!" },
    ],
  },
];

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export async function seedForum(now = new Date()) {
  const tiers = new Map((await db.tier.findMany({ select: { id: true, slug: true } })).map((t) => [t.slug, t.id]));
  const categories = new Map<string, string>();
  const founded = clubFoundedAt(now);
  for (const spec of CATEGORIES) {
    const { tiers: access, ...fields } = spec;
    const category = await db.forumCategory.upsert({ where: { slug: spec.slug }, update: {}, create: { ...fields, createdAt: founded, updatedAt: founded } });
    categories.set(spec.slug, category.id);
    const rows = Object.entries(access)
      .filter(([slug, level]) => level && tiers.has(slug))
      .map(([slug, level]) => ({ categoryId: category.id, tierId: tiers.get(slug)!, canPost: level === "post" }));
    await db.forumCategoryTier.createMany({ data: rows, skipDuplicates: true });
  }

  const users = new Map((await db.user.findMany({ select: { id: true, email: true } })).map((u) => [u.email, u.id]));
  const seeded = new Set(
    (await db.forumThread.groupBy({ by: ["categoryId"], _count: { _all: true } })).map((row) => row.categoryId),
  );
  for (const spec of THREADS) {
    const categoryId = categories.get(spec.category)!;
    if (seeded.has(categoryId)) continue;
    const authorId = users.get(spec.by);
    if (!authorId) continue;
    const started = new Date(now.getTime() - spec.daysAgo * DAY);
    const opening = await renderPost(spec.body);
    const replies = await Promise.all(
      spec.replies.map(async (reply) => ({
        ...reply,
        authorId: users.get(reply.by)!,
        at: new Date(started.getTime() + reply.hoursAfter * HOUR),
        rendered: await renderPost(reply.body),
      })),
    );
    const lastPostAt = replies.at(-1)?.at ?? started;
    await db.$transaction(async (tx) => {
      const thread = await tx.forumThread.create({
        data: {
          categoryId,
          authorId,
          title: spec.title,
          pinned: spec.pinned ?? false,
          lockedAt: spec.locked ? started : null,
          lastPostAt,
          replyCount: replies.length,
          createdAt: started,
          updatedAt: lastPostAt,
        },
      });
      const posts = [
        { authorId, at: started, body: spec.body, rendered: opening, isOpening: true, helpfulBy: [] as string[] },
        ...replies.map((reply) => ({ ...reply, body: reply.body, isOpening: false, helpfulBy: reply.helpfulBy ?? [] })),
      ];
      for (const post of posts) {
        const created = await tx.forumPost.create({
          data: {
            threadId: thread.id,
            categoryId,
            authorId: post.authorId,
            isOpening: post.isOpening,
            title: post.isOpening ? spec.title : null,
            body: post.body,
            bodyHtml: post.rendered.bodyHtml,
            bodyText: post.rendered.bodyText,
            createdAt: post.at,
            updatedAt: post.at,
          },
        });
        const marks = post.helpfulBy.map((email) => users.get(email)).filter((id): id is string => Boolean(id));
        if (marks.length) {
          await tx.forumHelpfulMark.createMany({ data: marks.map((userId) => ({ postId: created.id, userId, createdAt: post.at })) });
        }
        const mentioned = post.rendered.mentionedUserIds.filter((id) => id !== post.authorId);
        if (mentioned.length) {
          await tx.forumMention.createMany({ data: mentioned.map((userId) => ({ postId: created.id, userId, createdAt: post.at })) });
        }
        await tx.forumThreadRead.upsert({
          where: { userId_threadId: { userId: post.authorId, threadId: thread.id } },
          update: { lastReadAt: post.at },
          create: { userId: post.authorId, threadId: thread.id, lastReadAt: post.at },
        });
      }
    });
  }
}
