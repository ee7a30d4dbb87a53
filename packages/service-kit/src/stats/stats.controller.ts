import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TransportCounts } from './transport-stats.js';
import { TransportStats } from './transport-stats.js';

/** `GET /stats`: what the consumer and the outbox relay did since start (received, duplicates, DLQ moves...). */
@ApiTags('health')
@Controller()
export class StatsController {
  constructor(@Inject(TransportStats) private readonly stats: TransportStats) {}

  @Get('stats')
  @ApiOperation({
    summary:
      'Transport counters since start: received, processed, duplicates absorbed, retried, dead-lettered, outbox sent and parked.',
  })
  counts(): Promise<TransportCounts> {
    return this.stats.snapshot();
  }
}
