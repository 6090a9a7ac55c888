-- Early warning and retention (DOMAIN.md §7): imported figures, versioned rules, flags, scores, retention flows
CREATE TABLE "performance_figure" (
    "employee_id" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "collection_rate" DOUBLE PRECISION NOT NULL,
    "contacts" INTEGER NOT NULL,
    "complaints" INTEGER NOT NULL,
    "import_id" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "performance_figure_pkey" PRIMARY KEY ("employee_id", "month")
);
CREATE INDEX "performance_figure_month_idx" ON "performance_figure"("month");

CREATE TABLE "risk_rule_set" (
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_rule_set_pkey" PRIMARY KEY ("version")
);

CREATE TABLE "risk_flag" (
    "id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "flagged_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_flag_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "risk_flag_employee_id_created_at_idx" ON "risk_flag"("employee_id", "created_at");

CREATE TABLE "risk_score" (
    "id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "rule_set_version" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "level" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "cause" TEXT NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_score_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "risk_score_employee_id_computed_at_idx" ON "risk_score"("employee_id", "computed_at");

CREATE TABLE "employee_risk" (
    "employee_id" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "reasons" JSONB NOT NULL,
    "rule_set_version" INTEGER NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "retention_count" INTEGER NOT NULL DEFAULT 0,
    "retention_flow_id" TEXT,

    CONSTRAINT "employee_risk_pkey" PRIMARY KEY ("employee_id")
);
CREATE INDEX "employee_risk_level_idx" ON "employee_risk"("level");

CREATE TABLE "retention_case" (
    "flow_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "case_no" INTEGER NOT NULL,
    "department_id" TEXT NOT NULL,
    "manager_id" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "stage" TEXT NOT NULL DEFAULT 'stay_interview',
    "started" BOOLEAN NOT NULL DEFAULT false,
    "stay_interview" JSONB,
    "review" JSONB,
    "action_checks" JSONB NOT NULL DEFAULT '[]',
    "closed_reason" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "retention_case_pkey" PRIMARY KEY ("flow_id")
);
CREATE UNIQUE INDEX "retention_case_employee_id_case_no_key" ON "retention_case"("employee_id", "case_no");
CREATE INDEX "retention_case_status_department_id_idx" ON "retention_case"("status", "department_id");
