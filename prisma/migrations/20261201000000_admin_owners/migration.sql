-- AlterTable: who prepares venue, equipment and materials for the department's training sessions
ALTER TABLE "department" ADD COLUMN "admin_owner_id" TEXT;

-- AlterTable: who owns a session's preparation checklist
ALTER TABLE "training_session" ADD COLUMN "admin_owner_id" TEXT;

-- Sessions opened before: the owner is whoever their (latest) checklist task went to.
UPDATE "training_session" s SET "admin_owner_id" = (
    SELECT t."assignee_id" FROM "task" t WHERE t."flow_id" = s."flow_id" AND t."type" = 'session_preparation' ORDER BY t."created_at" DESC LIMIT 1
);

-- AddForeignKey
ALTER TABLE "department" ADD CONSTRAINT "department_admin_owner_id_fkey" FOREIGN KEY ("admin_owner_id") REFERENCES "employee"("id") ON DELETE SET NULL ON UPDATE CASCADE;
