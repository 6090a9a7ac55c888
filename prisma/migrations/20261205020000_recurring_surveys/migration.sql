-- Recurring surveys (DOMAIN.md §8), run by Temporal Schedules
CREATE TABLE "survey" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "department_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "anonymous" BOOLEAN NOT NULL DEFAULT true,
    "schedule" JSONB NOT NULL,
    "answer_within" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "survey_run" (
    "id" TEXT NOT NULL,
    "survey_id" TEXT NOT NULL,
    "run_no" INTEGER NOT NULL,
    "flow_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "questions" JSONB NOT NULL,
    "anonymous" BOOLEAN NOT NULL,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "invited" INTEGER NOT NULL,
    "results" JSONB,

    CONSTRAINT "survey_run_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "survey_run_flow_id_key" ON "survey_run"("flow_id");
CREATE UNIQUE INDEX "survey_run_survey_id_run_no_key" ON "survey_run"("survey_id", "run_no");
ALTER TABLE "survey_run" ADD CONSTRAINT "survey_run_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "survey_participant" (
    "run_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "answered" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "survey_participant_pkey" PRIMARY KEY ("run_id","employee_id")
);

CREATE TABLE "survey_response" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "respondent_id" TEXT,
    "answers" JSONB NOT NULL,

    CONSTRAINT "survey_response_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "survey_response_run_id_idx" ON "survey_response"("run_id");

CREATE TABLE "survey_ballot" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "answers" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "survey_ballot_pkey" PRIMARY KEY ("id")
);
