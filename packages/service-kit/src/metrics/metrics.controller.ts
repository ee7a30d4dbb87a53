import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { ServiceMetrics } from './service-metrics.js';

/** `GET /metrics`: every metric in Prometheus's text format (see `docs/observability.md` for the list). */
@Controller()
export class MetricsController {
  constructor(@Inject(ServiceMetrics) private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  @ApiExcludeEndpoint()
  async metricsText(@Res() res: ServerResponse): Promise<void> {
    const body = await this.metrics.exposition();
    res.setHeader('Content-Type', this.metrics.contentType);
    res.end(body);
  }
}
