-- Team rebuilding (团队重建, DOMAIN.md §7): after a departure, the head's team meeting and one-to-ones
CREATE TABLE "team_rebuilding" (
    "resignation_id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "leaver_id" TEXT NOT NULL,
    "department_id" TEXT NOT NULL,
    "head_id" TEXT NOT NULL,
    "member_ids" TEXT[],
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "team_rebuilding_pkey" PRIMARY KEY ("resignation_id")
);
CREATE UNIQUE INDEX "team_rebuilding_flow_id_key" ON "team_rebuilding"("flow_id");
CREATE INDEX "team_rebuilding_head_id_status_idx" ON "team_rebuilding"("head_id", "status");

CREATE TABLE "team_talk" (
    "resignation_id" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "member_id" TEXT,
    "held_on" DATE NOT NULL,
    "notes" TEXT NOT NULL,
    "recorded_by_id" TEXT NOT NULL,
    "on_behalf_of_id" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_talk_pkey" PRIMARY KEY ("resignation_id", "step")
);
ALTER TABLE "team_talk" ADD CONSTRAINT "team_talk_resignation_id_fkey" FOREIGN KEY ("resignation_id") REFERENCES "team_rebuilding"("resignation_id") ON DELETE RESTRICT ON UPDATE CASCADE;
