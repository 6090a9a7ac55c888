-- CreateEnum
CREATE TYPE "Role" AS ENUM ('employee', 'manager', 'hr', 'hr_director', 'executive', 'trainer', 'admin');

-- CreateEnum
CREATE TYPE "EmployeeStatus" AS ENUM ('active', 'leaving', 'left');

-- CreateEnum
CREATE TYPE "FlowStatus" AS ENUM ('running', 'completed', 'rejected', 'withdrawn', 'failed');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('open', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "Outcome" AS ENUM ('approve', 'reject', 'request_changes', 'done', 'confirm');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent');

-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('draft', 'in_approval', 'changes_requested', 'approved', 'rejected', 'withdrawn');

-- CreateTable
CREATE TABLE "department" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "head_id" TEXT,

    CONSTRAINT "department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "employee" (
    "id" TEXT NOT NULL,
    "employee_no" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "department_id" TEXT NOT NULL,
    "manager_id" TEXT,
    "roles" "Role"[] DEFAULT ARRAY[]::"Role"[],
    "status" "EmployeeStatus" NOT NULL DEFAULT 'active',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "employee_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "account_no" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "owner_name" TEXT NOT NULL,
    "arrears_fen" INTEGER NOT NULL,
    "last_contact_at" TIMESTAMPTZ(3),
    "promised_payment_on" DATE,
    "assignee_id" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "business_key" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" "FlowStatus" NOT NULL DEFAULT 'running',
    "current_step" TEXT,
    "started_by_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "step_key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "assignee_id" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'open',
    "outcomes" "Outcome"[] DEFAULT ARRAY[]::"Outcome"[],
    "payload" JSONB NOT NULL DEFAULT '{}',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "escalation_level" INTEGER NOT NULL DEFAULT 0,
    "escalated_to_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reminder_count" INTEGER NOT NULL DEFAULT 0,
    "last_chased_at" TIMESTAMPTZ(3),
    "outcome" "Outcome",
    "comment" TEXT,
    "decided_by_id" TEXT,
    "on_behalf_of_id" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "flow_id" TEXT,
    "task_id" TEXT,
    "actor_id" TEXT,
    "on_behalf_of_id" TEXT,
    "action" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "recipient_id" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "critical" BOOLEAN NOT NULL DEFAULT false,
    "channel" TEXT NOT NULL DEFAULT 'log',
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "flow_id" TEXT,
    "task_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_plan" (
    "id" TEXT NOT NULL,
    "create_key" TEXT,
    "department_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "PlanStatus" NOT NULL DEFAULT 'draft',
    "drafter_id" TEXT NOT NULL,
    "draft" JSONB NOT NULL,
    "draft_revision" INTEGER NOT NULL DEFAULT 1,
    "current_version" INTEGER NOT NULL DEFAULT 0,
    "flow_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "training_plan_version" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "budget_total_fen" INTEGER NOT NULL,
    "submitted_by_id" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_plan_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_decision" (
    "id" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "approver_id" TEXT NOT NULL,
    "decided_by_id" TEXT NOT NULL,
    "on_behalf_of_id" TEXT,
    "decision" "Outcome" NOT NULL,
    "comment" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_decision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "department_code_key" ON "department"("code");

-- CreateIndex
CREATE UNIQUE INDEX "employee_employee_no_key" ON "employee"("employee_no");

-- CreateIndex
CREATE UNIQUE INDEX "employee_email_key" ON "employee"("email");

-- CreateIndex
CREATE INDEX "employee_department_id_idx" ON "employee"("department_id");

-- CreateIndex
CREATE INDEX "employee_manager_id_idx" ON "employee"("manager_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_account_no_key" ON "account"("account_no");

-- CreateIndex
CREATE INDEX "account_assignee_id_idx" ON "account"("assignee_id");

-- CreateIndex
CREATE INDEX "flow_type_status_idx" ON "flow"("type", "status");

-- CreateIndex
CREATE UNIQUE INDEX "flow_type_business_key_key" ON "flow"("type", "business_key");

-- CreateIndex
CREATE INDEX "task_assignee_id_status_idx" ON "task"("assignee_id", "status");

-- CreateIndex
CREATE INDEX "task_escalated_to_ids_idx" ON "task" USING GIN ("escalated_to_ids");

-- CreateIndex
CREATE UNIQUE INDEX "task_flow_id_step_key_key" ON "task"("flow_id", "step_key");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_key_key" ON "audit_event"("key");

-- CreateIndex
CREATE INDEX "audit_event_flow_id_id_idx" ON "audit_event"("flow_id", "id");

-- CreateIndex
CREATE INDEX "audit_event_task_id_idx" ON "audit_event"("task_id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_key_key" ON "notification"("key");

-- CreateIndex
CREATE INDEX "notification_status_created_at_idx" ON "notification"("status", "created_at");

-- CreateIndex
CREATE INDEX "notification_recipient_id_idx" ON "notification"("recipient_id");

-- CreateIndex
CREATE UNIQUE INDEX "training_plan_create_key_key" ON "training_plan"("create_key");

-- CreateIndex
CREATE INDEX "training_plan_status_idx" ON "training_plan"("status");

-- CreateIndex
CREATE UNIQUE INDEX "training_plan_version_plan_id_version_key" ON "training_plan_version"("plan_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "plan_decision_task_id_key" ON "plan_decision"("task_id");

-- CreateIndex
CREATE INDEX "plan_decision_plan_id_idx" ON "plan_decision"("plan_id");

-- AddForeignKey
ALTER TABLE "department" ADD CONSTRAINT "department_head_id_fkey" FOREIGN KEY ("head_id") REFERENCES "employee"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "employee" ADD CONSTRAINT "employee_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "employee" ADD CONSTRAINT "employee_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "employee"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_plan" ADD CONSTRAINT "training_plan_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_plan_version" ADD CONSTRAINT "training_plan_version_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "training_plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "plan_decision" ADD CONSTRAINT "plan_decision_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "training_plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
