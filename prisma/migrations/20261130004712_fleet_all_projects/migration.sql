-- CreateTable
CREATE TABLE "Fleet" (
    "pool" TEXT NOT NULL,
    "allProjects" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Fleet_pkey" PRIMARY KEY ("pool")
);
