-- A number per project (existing projects get one too): the uid offset of its trials
-- on a worker that isolates projects (--isolate-projects).
ALTER TABLE "Project" ADD COLUMN "number" SERIAL NOT NULL;

CREATE UNIQUE INDEX "Project_number_key" ON "Project"("number");
