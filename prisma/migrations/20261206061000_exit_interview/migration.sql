-- Exit interviews of handovers (DOMAIN.md §5, §7): causes of leaving, for the report and the risk rules
CREATE TABLE "exit_interview" (
    "resignation_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "team_manager_id" TEXT,
    "left_on" DATE NOT NULL,
    "held_on" DATE NOT NULL,
    "causes" TEXT[],
    "notes" TEXT NOT NULL,
    "would_return" BOOLEAN NOT NULL,
    "would_recommend" BOOLEAN NOT NULL,
    "recorded_by_id" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exit_interview_pkey" PRIMARY KEY ("resignation_id")
);
CREATE INDEX "exit_interview_left_on_idx" ON "exit_interview"("left_on");
CREATE INDEX "exit_interview_team_manager_id_left_on_idx" ON "exit_interview"("team_manager_id", "left_on");

-- The rule on same-cause exits joins the rule set in force as its next version (a fresh deployment
-- starts with it in version 1).
INSERT INTO "risk_rule_set" ("version", "rules")
SELECT "version" + 1, "rules" || '{"sameCauseExits": {"weight": 30, "atLeast": 2, "withinDays": 180}}'::jsonb
FROM "risk_rule_set" ORDER BY "version" DESC LIMIT 1;
