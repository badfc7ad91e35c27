-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "pool" TEXT;

-- AlterTable
ALTER TABLE "Worker" ALTER COLUMN "projectId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "FleetMember" (
    "pool" TEXT NOT NULL,
    "projectId" UUID NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "maxConcurrentTrials" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FleetMember_pkey" PRIMARY KEY ("pool","projectId")
);

-- CreateIndex
CREATE INDEX "FleetMember_projectId_idx" ON "FleetMember"("projectId");

-- AddForeignKey
ALTER TABLE "FleetMember" ADD CONSTRAINT "FleetMember_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
