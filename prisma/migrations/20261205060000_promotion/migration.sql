-- Promotion (DOMAIN.md §8): a vacancy with its published criteria and panel, the internal
-- applications to it, and each panelist's scores of each applicant
CREATE TABLE "vacancy" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "criteria" JSONB NOT NULL,
    "panel_ids" TEXT[],
    "hr_id" TEXT NOT NULL,
    "apply_until" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "proposal" JSONB,
    "selected_id" TEXT,
    "decision_reason" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vacancy_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "vacancy_flow_id_key" ON "vacancy"("flow_id");
CREATE INDEX "vacancy_status_idx" ON "vacancy"("status");

CREATE TABLE "vacancy_application" (
    "vacancy_id" TEXT NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "statement" TEXT NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'applied',
    "reason" TEXT,
    "score" DOUBLE PRECISION,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vacancy_application_pkey" PRIMARY KEY ("vacancy_id","applicant_id")
);

CREATE INDEX "vacancy_application_applicant_id_idx" ON "vacancy_application"("applicant_id");

CREATE TABLE "vacancy_evaluation" (
    "vacancy_id" TEXT NOT NULL,
    "panelist_id" TEXT NOT NULL,
    "applicant_id" TEXT NOT NULL,
    "scores" JSONB NOT NULL,
    "comment" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vacancy_evaluation_pkey" PRIMARY KEY ("vacancy_id","panelist_id","applicant_id")
);
