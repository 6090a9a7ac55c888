-- AlterEnum
ALTER TYPE "FlowStatus" ADD VALUE 'stalled';
ALTER TYPE "FlowStatus" ADD VALUE 'cancelled';

-- AlterEnum
ALTER TYPE "ResignationStatus" ADD VALUE 'cancelled';

-- AlterTable
ALTER TABLE "flow" ADD COLUMN     "stalled_reason" TEXT;
