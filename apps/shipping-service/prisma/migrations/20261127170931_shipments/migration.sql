-- CreateEnum
CREATE TYPE "ShipmentStatus" AS ENUM ('CREATED', 'LABEL_CREATED', 'DISPATCHED', 'CANCELLED');

-- CreateTable
CREATE TABLE "shipments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "status" "ShipmentStatus" NOT NULL,
    "customer_id" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "shipping_address" JSONB NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "carrier" TEXT,
    "tracking_number" TEXT,
    "label_created_at" TIMESTAMPTZ(3),
    "label_voided_at" TIMESTAMPTZ(3),
    "dispatched_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shipments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carrier_labels" (
    "idempotency_key" TEXT NOT NULL,
    "tracking_number" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carrier_labels_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateTable
CREATE TABLE "label_attempts" (
    "id" BIGSERIAL NOT NULL,
    "shipment_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "receive_count" INTEGER NOT NULL,
    "outcome" TEXT,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "label_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "shipments_order_id_key" ON "shipments"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "carrier_labels_tracking_number_key" ON "carrier_labels"("tracking_number");

-- CreateIndex
CREATE INDEX "label_attempts_shipment_id_idx" ON "label_attempts"("shipment_id");
