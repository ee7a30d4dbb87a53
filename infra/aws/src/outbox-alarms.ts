import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The log line the outbox relay writes when it parks a row that kept failing (service-kit's `logRelayEvents`): its
 * pino fields. test/outbox-log.spec.ts checks that the service kit still writes exactly this.
 */
export const PARKED_ROW_LOG = { component: 'outbox-relay', msg: 'outbox row parked' } as const;

export interface OutboxAlarmsProps {
  service: string;
  logGroup: logs.ILogGroup;
  topic: sns.ITopic;
  /** The custom metrics' namespace. */
  namespace: string;
}

/**
 * The outbox's alarm from what the services publish today, their logs: a metric filter counts parked rows (events
 * that will never be sent without a person), and any parked row raises the alarm. The outbox backlog itself (rows
 * waiting, age of the oldest) is not published by the services yet: docs/deploy-aws.md says how to alarm on it once
 * the observability work exports it.
 */
export class OutboxAlarms extends Construct {
  readonly parkedRows: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OutboxAlarmsProps) {
    super(scope, id);
    const filter = new logs.MetricFilter(this, 'ParkedRows', {
      logGroup: props.logGroup,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.component', '=', PARKED_ROW_LOG.component),
        logs.FilterPattern.stringValue('$.msg', '=', PARKED_ROW_LOG.msg),
      ),
      metricNamespace: props.namespace,
      metricName: 'OutboxRowsParked',
      dimensions: { Service: '$.service' },
      metricValue: '1',
    });
    this.parkedRows = filter
      .metric({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
        dimensionsMap: { Service: props.service },
      })
      .createAlarm(this, 'ParkedRowsAlarm', {
        alarmDescription: `${props.service} parked an outbox row: an event that kept failing to send and will not be retried. Its error is in the service's log ("${PARKED_ROW_LOG.msg}").`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const notify = new actions.SnsAction(props.topic);
    this.parkedRows.addAlarmAction(notify);
    this.parkedRows.addOkAction(notify);
  }
}
