import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './environment-config.js';

export interface OrderApiProps {
  vpc: ec2.IVpc;
  service: ecs.FargateService;
  port: number;
  settings: EnvironmentConfig['orderApi'];
}

/** Proxies in front of the order service: the load balancer. Its `X-Forwarded-For` names the client. */
export const ORDER_API_PROXY_HOPS = 1;

/**
 * The order service's HTTP API behind an Application Load Balancer. Inside the VPC by default (HTTP on port 80,
 * open to the VPC's addresses only); facing the internet only with a certificate (HTTPS on 443 with a TLS 1.2+
 * policy, HTTP not served). Invalid header fields are dropped. Targets are checked on `/health` (liveness: a
 * database outage answers 503 on its own, it should not replace the tasks) and drained for 30 s on deployments.
 */
export class OrderApi extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly url: string;

  constructor(scope: Construct, id: string, props: OrderApiProps) {
    super(scope, id);
    const { internetFacing, certificateArn } = props.settings;
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing,
      vpcSubnets: { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      dropInvalidHeaderFields: true,
    });
    const listener = certificateArn
      ? this.loadBalancer.addListener('Https', {
          port: 443,
          protocol: elbv2.ApplicationProtocol.HTTPS,
          certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          open: internetFacing,
        })
      : this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    if (!internetFacing) {
      this.loadBalancer.connections.allowFrom(
        ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
        ec2.Port.tcp(certificateArn ? 443 : 80),
        'clients inside the VPC',
      );
    }
    listener.addTargets('OrderService', {
      port: props.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [props.service],
      healthCheck: { path: '/health', interval: Duration.seconds(15), healthyThresholdCount: 2 },
      deregistrationDelay: Duration.seconds(30),
    });
    this.url = `${certificateArn ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;
  }
}
