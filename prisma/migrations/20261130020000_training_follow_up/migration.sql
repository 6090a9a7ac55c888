-- AlterEnum
ALTER TYPE "Outcome" ADD VALUE 'decline';
ALTER TYPE "Outcome" ADD VALUE 'improved';
ALTER TYPE "Outcome" ADD VALUE 'still_below';

-- CreateTable
CREATE TABLE "follow_up" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "hr_id" TEXT NOT NULL,
    "head_id" TEXT NOT NULL,
    "pass_mark" DOUBLE PRECISION NOT NULL,
    "competencies" TEXT[],
    "targets" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "report" JSONB,
    "reported_at" TIMESTAMPTZ(3),
    "lessons" JSONB NOT NULL DEFAULT '[]',
    "recognition" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up_participant" (
    "follow_up_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "manager_id" TEXT,
    "mentor_id" TEXT,
    "session_ids" TEXT[],
    "joined_at" TIMESTAMPTZ(3) NOT NULL,
    "baseline" JSONB,
    "baseline_source" TEXT,
    "coaching_reason" TEXT,
    "recheck" "Outcome",
    "status" TEXT NOT NULL DEFAULT 'active',
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "follow_up_participant_pkey" PRIMARY KEY ("follow_up_id","employee_id")
);

-- CreateTable
CREATE TABLE "knowledge_score" (
    "follow_up_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "recorded_by_id" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_score_pkey" PRIMARY KEY ("follow_up_id","employee_id","attempt")
);

-- CreateTable
CREATE TABLE "follow_up_checkpoint" (
    "follow_up_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "checkpoint_no" INTEGER NOT NULL,
    "application" INTEGER,
    "examples" TEXT,
    "applied_at" TIMESTAMPTZ(3),
    "observed" JSONB,
    "observer_id" TEXT,
    "observer_comment" TEXT,
    "observed_at" TIMESTAMPTZ(3),

    CONSTRAINT "follow_up_checkpoint_pkey" PRIMARY KEY ("follow_up_id","employee_id","checkpoint_no")
);

-- CreateTable
CREATE TABLE "coaching_session" (
    "id" TEXT NOT NULL,
    "follow_up_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "coach_id" TEXT NOT NULL,
    "held_on" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "notes" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coaching_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "follow_up_plan_id_key" ON "follow_up"("plan_id");

-- CreateIndex
CREATE UNIQUE INDEX "follow_up_flow_id_key" ON "follow_up"("flow_id");

-- CreateIndex
CREATE INDEX "follow_up_department_id_idx" ON "follow_up"("department_id");

-- CreateIndex
CREATE UNIQUE INDEX "follow_up_participant_flow_id_key" ON "follow_up_participant"("flow_id");

-- CreateIndex
CREATE INDEX "coaching_session_follow_up_id_employee_id_idx" ON "coaching_session"("follow_up_id", "employee_id");

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "training_plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up_participant" ADD CONSTRAINT "follow_up_participant_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "follow_up"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_score" ADD CONSTRAINT "knowledge_score_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "follow_up"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up_checkpoint" ADD CONSTRAINT "follow_up_checkpoint_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "follow_up"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coaching_session" ADD CONSTRAINT "coaching_session_follow_up_id_fkey" FOREIGN KEY ("follow_up_id") REFERENCES "follow_up"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
