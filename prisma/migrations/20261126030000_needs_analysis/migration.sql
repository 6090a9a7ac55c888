-- AlterTable
ALTER TABLE "training_plan" ADD COLUMN     "needs_assessment_id" TEXT;

-- CreateTable
CREATE TABLE "needs_cycle" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "participant_ids" TEXT[],
    "competencies" JSONB NOT NULL,
    "survey_deadline" TIMESTAMPTZ(3) NOT NULL,
    "extended" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'survey',
    "head_id" TEXT NOT NULL,
    "hr_id" TEXT NOT NULL,
    "started_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "needs_cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "needs_response" (
    "id" TEXT NOT NULL,
    "cycle_id" TEXT NOT NULL,
    "participant_id" TEXT NOT NULL,
    "self_ratings" JSONB NOT NULL,
    "needs" TEXT,
    "preferred_formats" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "needs_response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "needs_observation" (
    "id" TEXT NOT NULL,
    "cycle_id" TEXT NOT NULL,
    "participant_id" TEXT NOT NULL,
    "observer_id" TEXT NOT NULL,
    "observed_levels" JSONB NOT NULL,
    "notes" TEXT,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "needs_observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "needs_assessment" (
    "id" TEXT NOT NULL,
    "cycle_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "analysis" JSONB NOT NULL,
    "adjustment" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "needs_assessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "needs_cycle_flow_id_key" ON "needs_cycle"("flow_id");

-- CreateIndex
CREATE UNIQUE INDEX "needs_response_cycle_id_participant_id_key" ON "needs_response"("cycle_id", "participant_id");

-- CreateIndex
CREATE UNIQUE INDEX "needs_observation_cycle_id_participant_id_key" ON "needs_observation"("cycle_id", "participant_id");

-- CreateIndex
CREATE UNIQUE INDEX "needs_assessment_cycle_id_version_key" ON "needs_assessment"("cycle_id", "version");

-- AddForeignKey
ALTER TABLE "needs_response" ADD CONSTRAINT "needs_response_cycle_id_fkey" FOREIGN KEY ("cycle_id") REFERENCES "needs_cycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "needs_observation" ADD CONSTRAINT "needs_observation_cycle_id_fkey" FOREIGN KEY ("cycle_id") REFERENCES "needs_cycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "needs_assessment" ADD CONSTRAINT "needs_assessment_cycle_id_fkey" FOREIGN KEY ("cycle_id") REFERENCES "needs_cycle"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
