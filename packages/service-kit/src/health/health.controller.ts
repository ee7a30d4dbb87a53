import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Readiness } from './readiness.js';

/** Timeouts of the readiness checks, in ms. */
const DATABASE_TIMEOUT_MS = 2_000;
const QUEUES_TIMEOUT_MS = 3_000;

/** `GET /health` (the process is alive) and `GET /ready` (database and queues reachable), through terminus. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  @Get('health')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers.' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database and every queue of the service are reachable.' })
  ready() {
    if (this.readiness.shuttingDown) {
      throw new ServiceUnavailableException({
        status: 'error',
        info: {},
        error: { shutdown: { status: 'down', message: 'shutting down' } },
        details: { shutdown: { status: 'down', message: 'shutting down' } },
      });
    }
    return this.health.check([
      () =>
        this.indicators
          .check('database')
          .attempt(() => this.readiness.pingDatabase())
          .withTimeout(DATABASE_TIMEOUT_MS),
      () =>
        this.indicators
          .check('queues')
          .attempt(async ({ signal }) => ({ queues: Object.keys(await this.readiness.queueUrls(signal)) }))
          .withTimeout(QUEUES_TIMEOUT_MS),
    ]);
  }
}
