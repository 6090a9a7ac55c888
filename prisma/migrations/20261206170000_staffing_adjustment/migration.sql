-- Staffing adjustment (人员调整, DOMAIN.md §7): a collector covers another's accounts for a period
CREATE TABLE "staffing_adjustment" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "covering_id" TEXT NOT NULL,
    "covered_id" TEXT NOT NULL,
    "head_id" TEXT,
    "account_ids" TEXT[],
    "moved_account_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "training" TEXT,
    "training_session_id" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'awaiting_approval',
    "end_reason" TEXT,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "staffing_adjustment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "staffing_adjustment_flow_id_key" ON "staffing_adjustment"("flow_id");
CREATE INDEX "staffing_adjustment_covering_id_status_idx" ON "staffing_adjustment"("covering_id", "status");
CREATE INDEX "staffing_adjustment_covered_id_status_idx" ON "staffing_adjustment"("covered_id", "status");
