import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DeployedQueue } from './queues.js';
import { DEAD_LETTER_RETENTION } from './queues.js';

/** A DLQ's oldest message older than this (half its retention) raises its age alarm: it expires at the retention. */
export const DEAD_LETTER_AGE_THRESHOLD = Duration.seconds(DEAD_LETTER_RETENTION.toSeconds() / 2);

export interface QueueAlarmsProps {
  queues: readonly DeployedQueue[];
  /** Where every alarm (and its return to OK) is published. */
  topic: sns.ITopic;
  /** A source queue's oldest message older than this raises its alarm. */
  oldestMessageAge: Duration;
}

/**
 * The queues' CloudWatch alarms:
 * - one per DLQ: any visible message (`ApproximateNumberOfMessagesVisible` above 0). A message there needs a person:
 *   it failed `maxReceiveCount` times or could never succeed (the reason is in its attributes).
 * - one per source queue: `ApproximateAgeOfOldestMessage` above the threshold for 5 minutes, i.e. consumers are down,
 *   stuck or too few;
 * - one per DLQ on the age of its oldest message: past half its retention (7 days), a parked message is a week from
 *   being deleted by SQS.
 * A queue that sees no traffic for hours may stop reporting: missing data counts as OK.
 */
export class QueueAlarms extends Construct {
  readonly deadLetterDepth: cloudwatch.Alarm[] = [];
  readonly oldestMessageAge: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    const alarmed = new Set<string>();
    for (const { definition, queue, deadLetterQueue } of props.queues) {
      const age = queue
        .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(this, `${definition.name}-OldestMessageAge`, {
          alarmDescription: `The oldest message on ${definition.name} has waited more than ${props.oldestMessageAge.toSeconds()} s: its consumers are down, stuck or too few.`,
          threshold: props.oldestMessageAge.toSeconds(),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 5,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      this.oldestMessageAge.push(age);
      if (!deadLetterQueue || !definition.deadLetter || alarmed.has(definition.deadLetter.name)) continue;
      alarmed.add(definition.deadLetter.name);
      const depth = deadLetterQueue
        .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(this, `${definition.deadLetter.name}-Depth`, {
          alarmDescription: `${definition.deadLetter.name} holds messages that ${definition.name}'s consumer could not process: read their dlq-* attributes, fix the cause, then redrive them.`,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      this.deadLetterDepth.push(depth);
      const parkedAge = deadLetterQueue
        .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
        .createAlarm(this, `${definition.deadLetter.name}-OldestMessageAge`, {
          alarmDescription: `A message has waited in ${definition.deadLetter.name} for more than ${DEAD_LETTER_AGE_THRESHOLD.toDays()} days; SQS deletes it after ${DEAD_LETTER_RETENTION.toDays()}. Redrive or archive it.`,
          threshold: DEAD_LETTER_AGE_THRESHOLD.toSeconds(),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      this.oldestMessageAge.push(parkedAge);
    }
    for (const alarm of [...this.deadLetterDepth, ...this.oldestMessageAge]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
