-- The yearly needs cycle on a Temporal Schedule (DOMAIN.md §1, §8)
CREATE TABLE "needs_cycle_schedule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "competencies" JSONB NOT NULL,
    "survey_within" TEXT NOT NULL,
    "schedule" JSONB NOT NULL,
    "hr_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "needs_cycle_schedule_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "needs_cycle" ADD COLUMN "schedule_id" TEXT;

ALTER TABLE "needs_cycle" ADD CONSTRAINT "needs_cycle_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "needs_cycle_schedule"("id") ON DELETE SET NULL ON UPDATE CASCADE;
