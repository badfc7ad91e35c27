-- AlterEnum
ALTER TYPE "TrialState" ADD VALUE 'cancelled';
