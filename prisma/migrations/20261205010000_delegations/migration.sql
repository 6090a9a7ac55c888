-- Delegation while away: whose task a holder acts for
ALTER TABLE "task" ADD COLUMN "acting_for_id" TEXT;

-- CreateEnum
CREATE TYPE "DelegationStatus" AS ENUM ('scheduled', 'active', 'ended', 'cancelled');

-- CreateTable
CREATE TABLE "delegation" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "delegate_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "DelegationStatus" NOT NULL DEFAULT 'scheduled',
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "delegation_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "delegation_flow_id_key" ON "delegation"("flow_id");
CREATE INDEX "delegation_owner_id_status_idx" ON "delegation"("owner_id", "status");
CREATE INDEX "delegation_delegate_id_status_idx" ON "delegation"("delegate_id", "status");

ALTER TABLE "delegation" ADD CONSTRAINT "delegation_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "delegation" ADD CONSTRAINT "delegation_delegate_id_fkey" FOREIGN KEY ("delegate_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
