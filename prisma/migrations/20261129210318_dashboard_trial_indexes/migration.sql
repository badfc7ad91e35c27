-- DropIndex
DROP INDEX "Trial_studyId_state_idx";

-- CreateIndex
CREATE INDEX "Trial_studyId_state_number_value_idx" ON "Trial"("studyId", "state", "number", "value");

-- CreateIndex
CREATE INDEX "Trial_params_idx" ON "Trial" USING GIN ("params" jsonb_path_ops);
