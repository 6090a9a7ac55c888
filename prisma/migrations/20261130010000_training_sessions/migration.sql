-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('scheduled', 'signing_in', 'in_progress', 'feedback', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "Attendance" AS ENUM ('expected', 'present', 'late', 'absent');

-- AlterTable
ALTER TABLE "training_plan" ADD COLUMN     "session_summary" JSONB;

-- CreateTable
CREATE TABLE "training_session" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "session_no" INTEGER NOT NULL,
    "flow_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT,
    "trainer_id" TEXT,
    "monitor_id" TEXT,
    "status" "SessionStatus" NOT NULL DEFAULT 'scheduled',
    "schedule_version" INTEGER NOT NULL DEFAULT 1,
    "sign_in_secret" TEXT NOT NULL,
    "code_rotation_ms" INTEGER NOT NULL,
    "preparation" JSONB NOT NULL DEFAULT '{}',
    "report" JSONB,
    "summary" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_participant" (
    "session_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "attendance" "Attendance" NOT NULL DEFAULT 'expected',
    "signed_in_at" TIMESTAMPTZ(3),
    "recorded_by_id" TEXT,
    "recorded_reason" TEXT,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_participant_pkey" PRIMARY KEY ("session_id","employee_id")
);

-- CreateTable
CREATE TABLE "session_note" (
    "id" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "participant_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session_feedback" (
    "session_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "content" INTEGER NOT NULL,
    "method" INTEGER NOT NULL,
    "trainer" INTEGER NOT NULL,
    "usefulness" INTEGER NOT NULL,
    "comments" TEXT,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "session_feedback_pkey" PRIMARY KEY ("session_id","employee_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_session_flow_id_key" ON "training_session"("flow_id");

-- CreateIndex
CREATE INDEX "training_session_starts_at_idx" ON "training_session"("starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "training_session_plan_id_session_no_key" ON "training_session"("plan_id", "session_no");

-- CreateIndex
CREATE INDEX "session_participant_employee_id_idx" ON "session_participant"("employee_id");

-- CreateIndex
CREATE INDEX "session_note_session_id_idx" ON "session_note"("session_id");

-- AddForeignKey
ALTER TABLE "training_session" ADD CONSTRAINT "training_session_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "training_plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_participant" ADD CONSTRAINT "session_participant_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_note" ADD CONSTRAINT "session_note_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_feedback" ADD CONSTRAINT "session_feedback_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
