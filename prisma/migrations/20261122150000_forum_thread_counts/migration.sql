-- Each category keeps its thread counts, so its page and the owner's list never count
-- thousands of threads: live (neither deleted nor hidden) and hidden (not deleted).
ALTER TABLE "ForumCategory" ADD COLUMN "liveThreadCount" INTEGER NOT NULL DEFAULT 0,
                            ADD COLUMN "hiddenThreadCount" INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION "ForumThread_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD."deletedAt" IS NULL THEN
        UPDATE "ForumCategory" SET
            "liveThreadCount" = "liveThreadCount" - (OLD."hiddenAt" IS NULL)::int,
            "hiddenThreadCount" = "hiddenThreadCount" - (OLD."hiddenAt" IS NOT NULL)::int
        WHERE id = OLD."categoryId";
    END IF;
    IF TG_OP <> 'DELETE' AND NEW."deletedAt" IS NULL THEN
        UPDATE "ForumCategory" SET
            "liveThreadCount" = "liveThreadCount" + (NEW."hiddenAt" IS NULL)::int,
            "hiddenThreadCount" = "hiddenThreadCount" + (NEW."hiddenAt" IS NOT NULL)::int
        WHERE id = NEW."categoryId";
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "ForumThread_counts_insert_delete" AFTER INSERT OR DELETE ON "ForumThread"
    FOR EACH ROW EXECUTE FUNCTION "ForumThread_counts"();
CREATE TRIGGER "ForumThread_counts_update" AFTER UPDATE OF "categoryId", "deletedAt", "hiddenAt" ON "ForumThread"
    FOR EACH ROW
    WHEN (OLD."categoryId" IS DISTINCT FROM NEW."categoryId"
          OR (OLD."deletedAt" IS NULL) <> (NEW."deletedAt" IS NULL)
          OR (OLD."hiddenAt" IS NULL) <> (NEW."hiddenAt" IS NULL))
    EXECUTE FUNCTION "ForumThread_counts"();

UPDATE "ForumCategory" c SET
    "liveThreadCount" = (SELECT count(*) FROM "ForumThread" t WHERE t."categoryId" = c.id AND t."deletedAt" IS NULL AND t."hiddenAt" IS NULL),
    "hiddenThreadCount" = (SELECT count(*) FROM "ForumThread" t WHERE t."categoryId" = c.id AND t."deletedAt" IS NULL AND t."hiddenAt" IS NOT NULL);
