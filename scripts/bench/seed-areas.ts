import type pg from "pg";

const WORDS_EN = ["kubernetes", "backup", "registry", "latency", "incident", "firewall", "encryption", "compliance", "migration", "observability", "pricing", "terraform", "postgres", "audit", "region", "failover", "secrets", "zero-trust", "billing", "mentoring"];
const WORDS_RU = ["резервное", "копирование", "безопасность", "инцидент", "шифрование", "миграция", "аудит", "регион", "задержка", "мониторинг", "облако", "доступ", "сертификат", "вакансия", "наставничество", "уязвимость", "сеть", "кластер", "хранилище", "отказоустойчивость"];

function sqlArray(words: string[]) {
  return `ARRAY[${words.map((w) => `'${w}'`).join(",")}]`;
}

/** A forum category open to every tier, with `threads` threads of `postsPerThread` posts each. */
export async function seedLargeForum(client: pg.Client, { members, threads, postsPerThread }: { members: number; threads: number; postsPerThread: number }) {
  await client.query(`
    INSERT INTO "ForumCategory" (id, slug, "nameEn", "nameRu", "descriptionEn", "descriptionRu", position, "createdAt", "updatedAt")
    VALUES ('bench-category', 'bench-general', 'General', 'Общее', 'Everything else', 'Всё остальное', 99, now(), now())
    ON CONFLICT (slug) DO NOTHING`);
  await client.query(`
    INSERT INTO "ForumCategoryTier" ("categoryId", "tierId", "canPost")
    SELECT 'bench-category', id, true FROM "Tier" ON CONFLICT DO NOTHING`);
  await client.query(`
    INSERT INTO "ForumThread" (id, "categoryId", "authorId", title, "lastPostAt", "replyCount", "createdAt", "updatedAt")
    SELECT 'bench-thread-' || g, 'bench-category', 'bench-user-' || (1 + g % $2),
           CASE WHEN g % 3 = 0
             THEN 'Вопрос про ' || (${sqlArray(WORDS_RU)})[1 + g % 20] || ' и ' || (${sqlArray(WORDS_RU)})[1 + (g / 20) % 20] || ' #' || g
             ELSE 'Question about ' || (${sqlArray(WORDS_EN)})[1 + g % 20] || ' and ' || (${sqlArray(WORDS_EN)})[1 + (g / 20) % 20] || ' #' || g END,
           now() - ((g % 700) || ' hours')::interval, $3 - 1,
           now() - ((g % 700 + 24) || ' hours')::interval, now()
    FROM generate_series(1, $1) AS g
    ON CONFLICT (id) DO NOTHING`, [threads, members, postsPerThread]);
  await client.query(`
    INSERT INTO "ForumPost" (id, "threadId", "categoryId", title, "authorId", "isOpening", body, "bodyHtml", "bodyText", "createdAt", "updatedAt")
    SELECT 'bench-post-' || t || '-' || p, 'bench-thread-' || t, 'bench-category',
           CASE WHEN p = 1 THEN (SELECT title FROM "ForumThread" WHERE id = 'bench-thread-' || t) END,
           'bench-user-' || (1 + (t * 31 + p) % $3), p = 1,
           body, '<p>' || body || '</p>', body,
           now() - ((t % 700 + 24) || ' hours')::interval + (p || ' minutes')::interval, now()
    FROM generate_series(1, $1) AS t
    CROSS JOIN generate_series(1, $2) AS p
    CROSS JOIN LATERAL (SELECT CASE WHEN (t + p) % 3 = 0
        THEN 'Мы настроили ' || (${sqlArray(WORDS_RU)})[1 + (t + p) % 20] || ' и ' || (${sqlArray(WORDS_RU)})[1 + (t * p) % 20] || ' для нашего кластера; ' || (${sqlArray(WORDS_RU)})[1 + p % 20] || ' теперь работает быстрее.'
        ELSE 'We set up ' || (${sqlArray(WORDS_EN)})[1 + (t + p) % 20] || ' with ' || (${sqlArray(WORDS_EN)})[1 + (t * p) % 20] || ' across two regions, and ' || (${sqlArray(WORDS_EN)})[1 + p % 20] || ' got much simpler.' END AS body) AS b
    ON CONFLICT (id) DO NOTHING`, [threads, postsPerThread, members]);
}

/** `items` roadmap items with `votes` votes from Private Client bench members, counters in step. */
export async function seedLargeRoadmap(client: pg.Client, { members, items, votes }: { members: number; items: number; votes: number }) {
  const perItem = Math.ceil(votes / items);
  await client.query(`
    INSERT INTO "RoadmapItem" (id, title, "descriptionMd", "descriptionHtml", summary, status, "createdAt", "updatedAt", "statusChangedAt")
    SELECT 'bench-item-' || g,
           'Improve ' || (${sqlArray(WORDS_EN)})[1 + g % 20] || ' for ' || (${sqlArray(WORDS_EN)})[1 + (g / 20) % 20] || ' #' || g,
           'A request from the working group.', '<p>A request from the working group.</p>', 'A request from the working group.',
           (ARRAY['UNDER_REVIEW','PLANNED','IN_PROGRESS','SHIPPED','DECLINED']::"RoadmapStatus"[])[1 + g % 5],
           now() - ((g % 365) || ' days')::interval, now(), now() - ((g % 100) || ' days')::interval
    FROM generate_series(1, $1) AS g
    ON CONFLICT (id) DO NOTHING`, [items]);
  // Voters: the bench members holding Private Client (every 10th), a vote each per item.
  await client.query(`
    INSERT INTO "RoadmapVote" ("itemId", "userId", weight, "createdAt")
    SELECT 'bench-item-' || i, 'bench-user-' || (10 * (1 + (i * 37 + k) % ($3 / 10))), 3, now() - ((k % 365) || ' days')::interval
    FROM generate_series(1, $1) AS i CROSS JOIN generate_series(1, $2) AS k
    ON CONFLICT DO NOTHING`, [items, Math.min(perItem, Math.floor(members / 10)), members]);
  await client.query(`
    INSERT INTO "RoadmapVoter" ("userId", counting, "changedAt")
    SELECT DISTINCT "userId", true, now() FROM "RoadmapVote" WHERE "itemId" LIKE 'bench-item-%'
    ON CONFLICT DO NOTHING`);
  await client.query(`
    UPDATE "RoadmapItem" i SET "voteCount" = v.n, "weightedVotes" = v.w
    FROM (SELECT "itemId", count(*) AS n, sum(weight) AS w FROM "RoadmapVote" GROUP BY "itemId") v
    WHERE v."itemId" = i.id AND i.id LIKE 'bench-item-%'`);
}

/** Activity events and NPS answers spread over `months` months. */
export async function seedLargeMetrics(client: pg.Client, { members, months, events, surveys }: { members: number; months: number; events: number; surveys: number }) {
  await client.query(`
    INSERT INTO "ActivityEvent" ("userId", kind, "occurredAt")
    SELECT 'bench-user-' || (1 + (g * 7919) % $2),
           (ARRAY['SIGN_IN','VISIT','POST','REPLY','VOTE']::"ActivityKind"[])[1 + g % 5],
           now() - (((g * 104729) % ($3 * 30 * 24)) || ' hours')::interval
    FROM generate_series(1::bigint, $1) AS g`, [events, members, months]);
  await client.query(`
    INSERT INTO "NpsResponse" (id, "userId", "tierId", score, "createdAt")
    SELECT 'bench-nps-' || g, 'bench-user-' || (1 + (g * 13) % $2), s."tierId",
           CASE WHEN g % 17 = 0 THEN NULL ELSE (g * 7) % 11 END,
           now() - (((g * 7919) % ($3 * 30)) || ' days')::interval
    FROM generate_series(1::bigint, $1) AS g
    LEFT JOIN "Subscription" s ON s.id = 'bench-sub-' || (1 + (g * 13) % $2)
    ON CONFLICT (id) DO NOTHING`, [surveys, members, months]);
}
