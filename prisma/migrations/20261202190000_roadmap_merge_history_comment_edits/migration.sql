-- A merge appears in the target item's status history; comments can be edited by their author.
ALTER TABLE "RoadmapStatusChange" ADD COLUMN "mergedFromId" TEXT;
ALTER TABLE "RoadmapStatusChange" ADD COLUMN "mergedFromTitle" TEXT;
ALTER TABLE "RoadmapComment" ADD COLUMN "editedAt" TIMESTAMP(3);
