-- Metrics: activity events (written in batches) and their monthly rollup, the in-app NPS
-- survey, follow-ups of at-risk members, and the dashboard's settings (the follow-up email
-- template).

-- CreateEnum
CREATE TYPE "ActivityKind" AS ENUM ('SIGN_IN', 'VISIT', 'POST', 'REPLY', 'VOTE', 'SURVEY');
CREATE TYPE "FollowUpKind" AS ENUM ('EMAIL', 'CONTACTED', 'NOTE');

-- CreateTable
CREATE TABLE "ActivityEvent" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" "ActivityKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityEvent_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ActivityMonth" (
    "userId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "events" INTEGER NOT NULL,
    "posts" INTEGER NOT NULL,
    "contributions" INTEGER NOT NULL,

    CONSTRAINT "ActivityMonth_pkey" PRIMARY KEY ("userId","month")
);

CREATE TABLE "MemberActivity" (
    "userId" TEXT NOT NULL,
    "lastActiveAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberActivity_pkey" PRIMARY KEY ("userId")
);

CREATE TABLE "ActivityRollup" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "timeZone" TEXT NOT NULL,
    "builtAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityRollup_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "NpsResponse" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "tierId" TEXT,
    "score" INTEGER,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NpsResponse_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "NpsResponse_score_check" CHECK ("score" BETWEEN 0 AND 10)
);

CREATE TABLE "MemberFollowUp" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "staffId" TEXT,
    "kind" "FollowUpKind" NOT NULL,
    "wasDetractor" BOOLEAN NOT NULL DEFAULT false,
    "wasInactive" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "emailId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MemberFollowUp_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "MetricsSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "followUpSubjectEn" TEXT NOT NULL,
    "followUpBodyEn" TEXT NOT NULL,
    "followUpSubjectRu" TEXT NOT NULL,
    "followUpBodyRu" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MetricsSettings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ActivityEvent_userId_occurredAt_idx" ON "ActivityEvent"("userId", "occurredAt");
CREATE INDEX "ActivityEvent_occurredAt_userId_kind_idx" ON "ActivityEvent"("occurredAt", "userId", "kind");
CREATE INDEX "ActivityMonth_month_idx" ON "ActivityMonth"("month");
CREATE INDEX "NpsResponse_userId_createdAt_idx" ON "NpsResponse"("userId", "createdAt");
CREATE INDEX "NpsResponse_createdAt_idx" ON "NpsResponse"("createdAt");
CREATE INDEX "MemberFollowUp_memberId_createdAt_idx" ON "MemberFollowUp"("memberId", "createdAt");
CREATE INDEX "MemberFollowUp_createdAt_idx" ON "MemberFollowUp"("createdAt");

-- AddForeignKey
ALTER TABLE "ActivityEvent" ADD CONSTRAINT "ActivityEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ActivityMonth" ADD CONSTRAINT "ActivityMonth_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MemberActivity" ADD CONSTRAINT "MemberActivity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "NpsResponse" ADD CONSTRAINT "NpsResponse_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "NpsResponse" ADD CONSTRAINT "NpsResponse_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "Tier"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "MemberFollowUp" ADD CONSTRAINT "MemberFollowUp_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "MemberFollowUp" ADD CONSTRAINT "MemberFollowUp_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "MetricsSettings" ADD CONSTRAINT "MetricsSettings_updatedById_fkey" FOREIGN KEY ("updatedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Keeps MemberActivity and ActivityMonth in step with every INSERT into ActivityEvent, however
-- it is made (the activity recorder's batches, the seed, a bulk load): one statement-level
-- trigger that adds the statement's rows, grouped by member (latest activity) and by member
-- and local month, in the time zone the monthly rollup was built for. Until that rollup is
-- first built (no ActivityRollup row) only MemberActivity is kept.
CREATE FUNCTION "ActivityEvent_rollup"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    zone TEXT;
BEGIN
    INSERT INTO "MemberActivity" ("userId", "lastActiveAt")
    SELECT n."userId", max(n."occurredAt") FROM new_rows n GROUP BY n."userId" ORDER BY n."userId"
    ON CONFLICT ("userId") DO UPDATE SET
        "lastActiveAt" = GREATEST("MemberActivity"."lastActiveAt", EXCLUDED."lastActiveAt");
    SELECT "timeZone" INTO zone FROM "ActivityRollup" WHERE "id" = 1;
    IF zone IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO "ActivityMonth" ("userId", "month", "events", "posts", "contributions")
    SELECT n."userId",
           date_trunc('month', (n."occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE zone)::date,
           count(*),
           count(*) FILTER (WHERE n."kind" IN ('POST', 'REPLY')),
           count(*) FILTER (WHERE n."kind" IN ('POST', 'REPLY', 'VOTE'))
    FROM new_rows n
    GROUP BY 1, 2
    -- A fixed order of row locks, so concurrent batches cannot deadlock on the same rows.
    ORDER BY 1, 2
    ON CONFLICT ("userId", "month") DO UPDATE SET
        "events" = "ActivityMonth"."events" + EXCLUDED."events",
        "posts" = "ActivityMonth"."posts" + EXCLUDED."posts",
        "contributions" = "ActivityMonth"."contributions" + EXCLUDED."contributions";
    RETURN NULL;
END;
$$;

CREATE TRIGGER "ActivityEvent_rollup" AFTER INSERT ON "ActivityEvent"
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION "ActivityEvent_rollup"();
