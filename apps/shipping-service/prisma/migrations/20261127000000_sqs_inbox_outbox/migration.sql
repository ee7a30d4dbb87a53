-- CreateTable
CREATE TABLE "sqs_inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "processed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sqs_inbox_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "sqs_outbox" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "group_id" TEXT,
    "deduplication_id" TEXT,
    "body" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_by" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "sqs_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sqs_inbox_status_processed_at_idx" ON "sqs_inbox"("status", "processed_at");

-- CreateIndex
CREATE INDEX "sqs_outbox_status_seq_idx" ON "sqs_outbox"("status", "seq");

-- CreateIndex
CREATE INDEX "sqs_outbox_queue_group_id_status_seq_idx" ON "sqs_outbox"("queue", "group_id", "status", "seq");

-- CreateIndex
CREATE INDEX "sqs_outbox_status_sent_at_idx" ON "sqs_outbox"("status", "sent_at");

-- Added by hand: Prisma's schema cannot express the following, and its
-- migrations and diffs leave them alone.

-- AddCheckConstraint
ALTER TABLE "sqs_inbox" ADD CONSTRAINT "sqs_inbox_status_check" CHECK ("status" IN ('processed', 'leased'));

-- AddCheckConstraint
ALTER TABLE "sqs_outbox" ADD CONSTRAINT "sqs_outbox_status_check" CHECK ("status" IN ('pending', 'sent', 'parked'));

-- Queue-like table: most rows are short-lived, so vacuum and analyze it after
-- every thousand changes rather than after a fraction of the table. Fresh
-- statistics keep the claim query on its (status, seq) index scan during bursts.
ALTER TABLE "sqs_outbox" SET (
  autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000
);

-- CreateTrigger: wakes relays that LISTEN on "sqs_outbox" when new rows commit.
CREATE FUNCTION "sqs_outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sqs_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "sqs_outbox_notify" AFTER INSERT ON "sqs_outbox" FOR EACH STATEMENT EXECUTE FUNCTION "sqs_outbox_notify"();
