-- The reserve pool (后备人才库, DOMAIN.md §7): per key position, its candidates and quarterly reviews
CREATE TABLE "reserve_pool" (
    "position" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "minimum" INTEGER NOT NULL,
    "short_since" TIMESTAMPTZ(3),
    "last_reviewed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reserve_pool_pkey" PRIMARY KEY ("position")
);
CREATE UNIQUE INDEX "reserve_pool_flow_id_key" ON "reserve_pool"("flow_id");

CREATE TABLE "reserve_candidate" (
    "id" TEXT NOT NULL,
    "position" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "readiness" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "nominated_by_id" TEXT NOT NULL,
    "nominated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "panel_rating" INTEGER,
    "assessed_by_id" TEXT,
    "assessed_at" TIMESTAMPTZ(3),
    "comment" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "ended_reason" TEXT,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "reserve_candidate_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "reserve_candidate_position_status_idx" ON "reserve_candidate"("position", "status");
CREATE INDEX "reserve_candidate_employee_id_idx" ON "reserve_candidate"("employee_id");
ALTER TABLE "reserve_candidate" ADD CONSTRAINT "reserve_candidate_position_fkey" FOREIGN KEY ("position") REFERENCES "reserve_pool"("position") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "reserve_pool_review" (
    "position" TEXT NOT NULL,
    "review_no" INTEGER NOT NULL,
    "reviewed_by_id" TEXT NOT NULL,
    "verdicts" JSONB NOT NULL,
    "comment" TEXT,
    "reviewed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reserve_pool_review_pkey" PRIMARY KEY ("position", "review_no")
);
