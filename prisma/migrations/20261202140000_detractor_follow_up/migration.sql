-- AlterTable
ALTER TABLE "MetricsSettings" ADD COLUMN     "detractorSubjectEn" TEXT,
ADD COLUMN     "detractorBodyEn" TEXT,
ADD COLUMN     "detractorSubjectRu" TEXT,
ADD COLUMN     "detractorBodyRu" TEXT;
