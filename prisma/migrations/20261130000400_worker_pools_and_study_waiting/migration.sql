-- AlterTable
ALTER TABLE "Study" ADD COLUMN     "waitingForWorkers" TEXT;

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "backends" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "gpuMemoryGb" DOUBLE PRECISION,
ADD COLUMN     "gpuModel" TEXT,
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "pool" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "trainers" JSONB;

-- CreateIndex
CREATE INDEX "Worker_pool_lastSeen_idx" ON "Worker"("pool", "lastSeen");
