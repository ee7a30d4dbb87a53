import type { ShippingPrisma } from '../prisma.js';
import type { Label } from './carrier.js';
import type { LabelLedger } from './simulated-carrier.js';

/** The simulated carrier's ledger in `carrier_labels`: one label per idempotency key, whoever asks how often. */
export class PrismaLabelLedger implements LabelLedger {
  constructor(private readonly prisma: ShippingPrisma) {}

  async sell(idempotencyKey: string, label: Label): Promise<Label> {
    const rows = await this.prisma.$queryRaw<Array<{ carrier: string; tracking_number: string }>>`
      INSERT INTO carrier_labels (idempotency_key, tracking_number, carrier)
      VALUES (${idempotencyKey}, ${label.trackingNumber}, ${label.carrier})
      ON CONFLICT (idempotency_key) DO UPDATE SET calls = carrier_labels.calls + 1, updated_at = now()
      RETURNING carrier, tracking_number`;
    const row = rows[0];
    if (!row) throw new Error(`carrier_labels returned no row for ${idempotencyKey}`);
    return { carrier: row.carrier, trackingNumber: row.tracking_number };
  }
}
