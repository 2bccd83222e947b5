-- What the reporter of a post is told (the post hidden or kept), and who last edited a post
-- when it was not its author (a curator redacting it).
ALTER TABLE "ForumReport" ADD COLUMN "postHidden" BOOLEAN NOT NULL DEFAULT false;

-- Reports resolved before: the post counts as hidden when it is hidden now.
UPDATE "ForumReport" r SET "postHidden" = true
FROM "ForumPost" p
WHERE p."id" = r."postId" AND r."status" = 'RESOLVED' AND p."hiddenAt" IS NOT NULL;

ALTER TABLE "ForumPost" ADD COLUMN "editedById" TEXT;

ALTER TABLE "ForumPost" ADD CONSTRAINT "ForumPost_editedById_fkey" FOREIGN KEY ("editedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
