-- 退回: a decision that sends the matter back to an earlier level
ALTER TYPE "Outcome" ADD VALUE 'send_back';

-- AlterTable: what a task's holder may do besides deciding, and the 加签 (added signer) state
ALTER TABLE "task" ADD COLUMN "actions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "earlier_levels" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "waiting_for_id" TEXT,
ADD COLUMN "signers_after" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "added_by_id" TEXT;

-- CreateTable: 抄送, people copied in on a flow
CREATE TABLE "flow_cc" (
    "flow_id" TEXT NOT NULL,
    "employee_id" TEXT NOT NULL,
    "added_by_id" TEXT NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_cc_pkey" PRIMARY KEY ("flow_id","employee_id")
);

CREATE INDEX "flow_cc_employee_id_idx" ON "flow_cc"("employee_id");

ALTER TABLE "flow_cc" ADD CONSTRAINT "flow_cc_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "flow_cc" ADD CONSTRAINT "flow_cc_employee_id_fkey" FOREIGN KEY ("employee_id") REFERENCES "employee"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
