-- AlterEnum
ALTER TYPE "NotificationStatus" ADD VALUE 'failed';

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'failed');

-- AlterTable: how each employee wants to be reached
ALTER TABLE "employee" ADD COLUMN "mobile" TEXT,
ADD COLUMN "feishu_user_id" TEXT,
ADD COLUMN "notify_channels" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "reminder_digest" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable: a notification is routed to one delivery per channel
ALTER TABLE "notification" DROP COLUMN "channel",
ADD COLUMN "routed_at" TIMESTAMPTZ(3);

-- What went out before channels existed went to the log: it needs no routing.
UPDATE "notification" SET "routed_at" = "sent_at" WHERE "status" = 'sent';

-- CreateTable
CREATE TABLE "notification_delivery" (
    "id" TEXT NOT NULL,
    "notification_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_delivery_notification_id_channel_key" ON "notification_delivery"("notification_id", "channel");

-- CreateIndex
CREATE INDEX "notification_delivery_status_not_before_idx" ON "notification_delivery"("status", "not_before");

-- AddForeignKey
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;
