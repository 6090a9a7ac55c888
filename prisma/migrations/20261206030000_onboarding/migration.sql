-- Onboarding (新员工入职培训, DOMAIN.md §6): the hire's flow, the document registry, each step's records
ALTER TYPE "EmployeeStatus" ADD VALUE 'onboarding';

CREATE TABLE "onboarding" (
    "employee_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "manager_id" TEXT NOT NULL,
    "trainer_id" TEXT NOT NULL,
    "hr_id" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "document_ids" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'open',
    "culture_attested_at" TIMESTAMPTZ(3),
    "session_id" TEXT,
    "attendance" TEXT,
    "training_score" DOUBLE PRECISION,
    "probation_ends_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "onboarding_pkey" PRIMARY KEY ("employee_id")
);
CREATE UNIQUE INDEX "onboarding_flow_id_key" ON "onboarding"("flow_id");
CREATE INDEX "onboarding_status_idx" ON "onboarding"("status");

CREATE TABLE "document" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "document_version" (
    "document_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "published_by_id" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_version_pkey" PRIMARY KEY ("document_id","version")
);
ALTER TABLE "document_version" ADD CONSTRAINT "document_version_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "document"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "document_confirmation" (
    "employee_id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "document_confirmation_pkey" PRIMARY KEY ("employee_id","document_id","version")
);

CREATE TABLE "onboarding_drill" (
    "employee_id" TEXT NOT NULL,
    "drill_no" INTEGER NOT NULL,
    "scenario" TEXT NOT NULL,
    "scores" JSONB NOT NULL,
    "mean" DOUBLE PRECISION NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "notes" TEXT,
    "scored_by_id" TEXT NOT NULL,
    "scored_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_drill_pkey" PRIMARY KEY ("employee_id","drill_no")
);

CREATE TABLE "onboarding_coaching" (
    "employee_id" TEXT NOT NULL,
    "session_no" INTEGER NOT NULL,
    "held_on" DATE NOT NULL,
    "notes" TEXT NOT NULL,
    "coach_id" TEXT NOT NULL,
    "logged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_coaching_pkey" PRIMARY KEY ("employee_id","session_no")
);

CREATE TABLE "onboarding_assessment" (
    "employee_id" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "notes" TEXT,
    "assessed_by_id" TEXT NOT NULL,
    "on_behalf_of_id" TEXT,
    "assessed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_assessment_pkey" PRIMARY KEY ("employee_id","round","attempt")
);

CREATE TABLE "onboarding_decision" (
    "employee_id" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "pass" INTEGER NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "extend_by" TEXT,
    "department_id" TEXT,
    "manager_id" TEXT,
    "decided_by_id" TEXT NOT NULL,
    "countersigned_by" TEXT,
    "countersign" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_decision_pkey" PRIMARY KEY ("employee_id","round","pass")
);

CREATE TABLE "onboarding_check_in" (
    "employee_id" TEXT NOT NULL,
    "checkpoint" INTEGER NOT NULL,
    "held_on" DATE NOT NULL,
    "progress" INTEGER NOT NULL,
    "notes" TEXT NOT NULL,
    "manager_id" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_check_in_pkey" PRIMARY KEY ("employee_id","checkpoint")
);

CREATE TABLE "onboarding_pulse" (
    "employee_id" TEXT NOT NULL,
    "checkpoint" INTEGER NOT NULL,
    "workload" INTEGER NOT NULL,
    "support" INTEGER NOT NULL,
    "confidence" INTEGER NOT NULL,
    "belonging" INTEGER NOT NULL,
    "comment" TEXT,
    "answered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_pulse_pkey" PRIMARY KEY ("employee_id","checkpoint")
);
