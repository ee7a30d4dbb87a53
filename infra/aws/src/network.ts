import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface NetworkProps {
  maxAzs: number;
  natGateways: number;
}

/**
 * The VPC: public subnets (NAT gateways, and the API's load balancer when it faces the internet), private subnets
 * for the tasks, isolated subnets for the databases. Queue traffic never leaves AWS's network: an SQS interface
 * endpoint with private DNS answers `sqs.<region>.amazonaws.com` inside the VPC, so the services' default SDK
 * endpoint resolves to it; only the services' security groups may reach it. An S3 gateway endpoint (free) carries
 * the image layers of ECR. The default security group is stripped of its rules.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly sqsEndpoint: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs,
      natGateways: props.natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'services', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'databases', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    this.sqsEndpoint = this.vpc.addInterfaceEndpoint('Sqs', {
      service: ec2.InterfaceVpcEndpointAwsService.SQS,
      privateDnsEnabled: true,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      open: false,
    });
  }
}
