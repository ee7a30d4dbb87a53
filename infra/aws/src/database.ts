import type { RemovalPolicy } from 'aws-cdk-lib';
import { Duration, RemovalPolicy as Removal } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from './environment-config.js';

export interface ServiceDatabaseProps {
  vpc: ec2.IVpc;
  /** The database's name, e.g. `orders`. */
  databaseName: string;
  /** The login the service uses; its password is generated into Secrets Manager. */
  username: string;
  settings: EnvironmentConfig['database'];
  /** `RETAIN` snapshots the instance on deletion and turns on deletion protection; `DESTROY` deletes it. */
  removalPolicy: RemovalPolicy;
}

/** PostgreSQL major version of the databases (RDS picks the newest minor and keeps it patched). */
export const POSTGRES_VERSION = rds.PostgresEngineVersion.VER_17;

/**
 * One service's own PostgreSQL (RDS) in the isolated subnets: storage encrypted, TLS forced (`rds.force_ssl`), not
 * publicly accessible, reachable only from the security groups allowed with {@link allowFrom}. The password is
 * generated into Secrets Manager and reaches the service as `DATABASE_PASSWORD` through the task's `secrets`: never in
 * the template, an environment file or the image.
 */
export class ServiceDatabase extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly secret: secretsmanager.ISecret;
  readonly databaseName: string;
  readonly username: string;

  constructor(scope: Construct, id: string, props: ServiceDatabaseProps) {
    super(scope, id);
    const engine = rds.DatabaseInstanceEngine.postgres({ version: POSTGRES_VERSION });
    const retain = props.removalPolicy === Removal.RETAIN;
    this.databaseName = props.databaseName;
    this.username = props.username;
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceType: new ec2.InstanceType(props.settings.instanceClass),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      publiclyAccessible: false,
      credentials: rds.Credentials.fromGeneratedSecret(props.username),
      databaseName: props.databaseName,
      allocatedStorage: props.settings.allocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      multiAz: props.settings.multiAz,
      backupRetention: Duration.days(props.settings.backupRetentionDays),
      autoMinorVersionUpgrade: true,
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine,
        parameters: { 'rds.force_ssl': '1' },
      }),
      deletionProtection: retain,
      removalPolicy: retain ? Removal.SNAPSHOT : Removal.DESTROY,
    });
    if (!this.instance.secret) throw new Error('RDS generated no secret for the database credentials.');
    this.secret = this.instance.secret;
  }

  /** Lets `peer` (a service's tasks) connect on PostgreSQL's port; nothing else can. */
  allowFrom(peer: ec2.IConnectable): void {
    this.instance.connections.allowDefaultPortFrom(peer, 'the service that owns this database');
  }

  /**
   * The service's `DATABASE_URL`, without the password (that comes as `DATABASE_PASSWORD`). TLS is required; the
   * server's certificate is not verified (libpq's `sslmode=require`): docs/security.md says how to verify it.
   */
  url(): string {
    const { dbInstanceEndpointAddress: host, dbInstanceEndpointPort: port } = this.instance;
    return `postgres://${this.username}@${host}:${port}/${this.databaseName}?uselibpqcompat=true&sslmode=require`;
  }
}
