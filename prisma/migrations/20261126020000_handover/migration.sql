-- CreateEnum
CREATE TYPE "ResignationStatus" AS ENUM ('in_progress', 'completed');

-- CreateEnum
CREATE TYPE "HandoverCategory" AS ENUM ('work_content', 'open_cases', 'payment_plans', 'account', 'documents', 'system_access', 'assets');

-- CreateEnum
CREATE TYPE "HandoverItemStatus" AS ENUM ('open', 'done', 'verified', 'reopened');

-- CreateEnum
CREATE TYPE "ArticleKind" AS ENUM ('procedure', 'lesson', 'key_customer');

-- CreateEnum
CREATE TYPE "ArticleStatus" AS ENUM ('submitted', 'changes_requested', 'published');

-- CreateTable
CREATE TABLE "resignation" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "resignation_date" DATE NOT NULL,
    "last_working_day" DATE NOT NULL,
    "last_day_starts_at" TIMESTAMPTZ(3) NOT NULL,
    "departs_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "ResignationStatus" NOT NULL DEFAULT 'in_progress',
    "phase" TEXT NOT NULL DEFAULT 'acknowledgement',
    "started_by_id" TEXT NOT NULL,
    "hr_id" TEXT NOT NULL,
    "successor_id" TEXT,
    "supervisor_id" TEXT,
    "mentor_id" TEXT,
    "rating_score" INTEGER,
    "rating_comment" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "resignation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "handover_item" (
    "id" TEXT NOT NULL,
    "resignation_id" TEXT NOT NULL,
    "checklist_flow_id" TEXT NOT NULL,
    "item_no" INTEGER NOT NULL,
    "category" "HandoverCategory" NOT NULL,
    "title" TEXT NOT NULL,
    "account_id" TEXT,
    "owner_id" TEXT NOT NULL,
    "verifier_id" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "HandoverItemStatus" NOT NULL DEFAULT 'open',
    "note" TEXT,
    "completed_by_id" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "verified_by_id" TEXT,
    "verified_at" TIMESTAMPTZ(3),
    "reopen_count" INTEGER NOT NULL DEFAULT 0,
    "last_comment" TEXT,
    "reminder_count" INTEGER NOT NULL DEFAULT 0,
    "escalation_level" INTEGER NOT NULL DEFAULT 0,
    "critical" BOOLEAN NOT NULL DEFAULT false,
    "last_chased_at" TIMESTAMPTZ(3),

    CONSTRAINT "handover_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "knowledge_article" (
    "id" TEXT NOT NULL,
    "resignation_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "kind" "ArticleKind" NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "ArticleStatus" NOT NULL DEFAULT 'submitted',
    "revision" INTEGER NOT NULL DEFAULT 1,
    "reviewer_comment" TEXT,
    "reviewed_by_id" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mentoring_session" (
    "id" TEXT NOT NULL,
    "resignation_id" TEXT NOT NULL,
    "mentor_id" TEXT NOT NULL,
    "successor_id" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "held_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "topic" TEXT NOT NULL,
    "notes" TEXT,
    "logged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mentoring_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "successor_assessment" (
    "id" TEXT NOT NULL,
    "resignation_id" TEXT NOT NULL,
    "successor_id" TEXT NOT NULL,
    "assessor_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "assessed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "successor_assessment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "resignation_flow_id_key" ON "resignation"("flow_id");

-- CreateIndex
CREATE INDEX "resignation_employee_id_idx" ON "resignation"("employee_id");

-- CreateIndex
CREATE INDEX "handover_item_checklist_flow_id_status_idx" ON "handover_item"("checklist_flow_id", "status");

-- CreateIndex
CREATE INDEX "handover_item_owner_id_status_idx" ON "handover_item"("owner_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "handover_item_resignation_id_item_no_key" ON "handover_item"("resignation_id", "item_no");

-- CreateIndex
CREATE UNIQUE INDEX "handover_item_resignation_id_account_id_key" ON "handover_item"("resignation_id", "account_id");

-- CreateIndex
CREATE INDEX "knowledge_article_resignation_id_idx" ON "knowledge_article"("resignation_id");

-- CreateIndex
CREATE INDEX "knowledge_article_status_idx" ON "knowledge_article"("status");

-- CreateIndex
CREATE INDEX "mentoring_session_resignation_id_idx" ON "mentoring_session"("resignation_id");

-- CreateIndex
CREATE UNIQUE INDEX "successor_assessment_resignation_id_attempt_key" ON "successor_assessment"("resignation_id", "attempt");

-- AddForeignKey
ALTER TABLE "resignation" ADD CONSTRAINT "resignation_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handover_item" ADD CONSTRAINT "handover_item_resignation_id_fkey" FOREIGN KEY ("resignation_id") REFERENCES "resignation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_article" ADD CONSTRAINT "knowledge_article_resignation_id_fkey" FOREIGN KEY ("resignation_id") REFERENCES "resignation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mentoring_session" ADD CONSTRAINT "mentoring_session_resignation_id_fkey" FOREIGN KEY ("resignation_id") REFERENCES "resignation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "successor_assessment" ADD CONSTRAINT "successor_assessment_resignation_id_fkey" FOREIGN KEY ("resignation_id") REFERENCES "resignation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
