-- Employee suggestions (DOMAIN.md §8): the suggestion and its answer, and its sender kept apart
CREATE TABLE "suggestion" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "anonymous" BOOLEAN NOT NULL,
    "submitter_id" TEXT,
    "owner_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "answer" TEXT,
    "accepted" BOOLEAN,
    "action_planned" TEXT,
    "answered_by_id" TEXT,
    "answered_at" TIMESTAMPTZ(3),

    CONSTRAINT "suggestion_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "suggestion_flow_id_key" ON "suggestion"("flow_id");
CREATE INDEX "suggestion_department_id_submitted_at_idx" ON "suggestion"("department_id", "submitted_at");

CREATE TABLE "suggestion_sender" (
    "suggestion_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "notice_key" TEXT NOT NULL,

    CONSTRAINT "suggestion_sender_pkey" PRIMARY KEY ("suggestion_id")
);

CREATE UNIQUE INDEX "suggestion_sender_notice_key_key" ON "suggestion_sender"("notice_key");
CREATE INDEX "suggestion_sender_employee_id_idx" ON "suggestion_sender"("employee_id");
