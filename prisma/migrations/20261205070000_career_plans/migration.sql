-- Career plans (职业规划, DOMAIN.md §8): the current plan, every revision as written, the yearly reviews
CREATE TABLE "career_plan" (
    "employee_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "goals" TEXT NOT NULL,
    "target_role" TEXT,
    "wanted_skills" JSONB NOT NULL,
    "skill_keys" TEXT[],
    "training_wanted" TEXT,
    "revision" INTEGER NOT NULL,
    "next_review_at" TIMESTAMPTZ(3) NOT NULL,
    "last_reviewed_at" TIMESTAMPTZ(3),
    "updated_by_id" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "career_plan_pkey" PRIMARY KEY ("employee_id")
);
CREATE UNIQUE INDEX "career_plan_flow_id_key" ON "career_plan"("flow_id");
CREATE INDEX "career_plan_next_review_at_idx" ON "career_plan"("next_review_at");

CREATE TABLE "career_plan_revision" (
    "employee_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "actor_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "career_plan_revision_pkey" PRIMARY KEY ("employee_id", "revision")
);

CREATE TABLE "career_plan_review" (
    "employee_id" TEXT NOT NULL,
    "review_no" INTEGER NOT NULL,
    "reviewer_id" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "reviewed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "career_plan_review_pkey" PRIMARY KEY ("employee_id", "review_no")
);
