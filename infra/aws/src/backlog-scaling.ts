import { Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface BacklogScalingProps {
  cluster: ecs.ICluster;
  service: ecs.FargateService;
  /** The queues the service polls: their visible messages make its backlog. */
  queues: readonly sqs.IQueue[];
  minTasks: number;
  maxTasks: number;
  /** Visible messages per running task that the policy keeps the service at. */
  backlogPerTaskTarget: number;
}

/** How long the policy waits after scaling out before scaling out again, and after scaling in before scaling in. */
export const SCALE_OUT_COOLDOWN_SECONDS = 60;
export const SCALE_IN_COOLDOWN_SECONDS = 300;

/**
 * Target tracking on the backlog per task: the visible messages of every queue the service polls
 * (`ApproximateNumberOfMessagesVisible`) divided by its running tasks (Container Insights' `RunningTaskCount`), kept at
 * `backlogPerTaskTarget` between `minTasks` and `maxTasks`. CDK's target-tracking construct takes no metric math, so
 * the policy is written as CloudFormation's `CustomizedMetricSpecification.Metrics`.
 */
export class BacklogScaling extends Construct {
  readonly target: appscaling.ScalableTarget;
  readonly policy: appscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: BacklogScalingProps) {
    super(scope, id);
    this.target = new appscaling.ScalableTarget(this, 'Target', {
      serviceNamespace: appscaling.ServiceNamespace.ECS,
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.clusterName}/${props.service.serviceName}`,
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
      // ECS's service-linked role for Application Auto Scaling (as CDK's own autoScaleTaskCount uses), not a new role.
      role: iam.Role.fromRoleArn(
        this,
        'ServiceLinkedRole',
        Stack.of(this).formatArn({
          region: '',
          service: 'iam',
          resource: 'role/aws-service-role/ecs.application-autoscaling.amazonaws.com',
          resourceName: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
        }),
      ),
    });
    const visible = props.queues.map((queue, index) => ({
      id: `visible${index}`,
      returnData: false,
      metricStat: {
        metric: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: [{ name: 'QueueName', value: queue.queueName }],
        },
        stat: 'Sum',
      },
    }));
    this.policy = new appscaling.CfnScalingPolicy(this, 'BacklogPerTask', {
      policyName: `${props.service.node.path.replace(/\//g, '-')}-backlog-per-task`.slice(-256),
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.target.scalableTargetId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.backlogPerTaskTarget,
        scaleOutCooldown: SCALE_OUT_COOLDOWN_SECONDS,
        scaleInCooldown: SCALE_IN_COOLDOWN_SECONDS,
        customizedMetricSpecification: {
          metrics: [
            ...visible,
            {
              id: 'tasks',
              returnData: false,
              metricStat: {
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [
                    { name: 'ClusterName', value: props.cluster.clusterName },
                    { name: 'ServiceName', value: props.service.serviceName },
                  ],
                },
                stat: 'Average',
              },
            },
            {
              id: 'backlogPerTask',
              label: 'Visible messages per running task',
              expression: `(${visible.map((metric) => metric.id).join(' + ')}) / tasks`,
              returnData: true,
            },
          ],
        },
      },
    });
  }
}
