/**
 * What the demo data is made of: AWS services with their usage types, operations, units and list prices, and
 * the regions usage falls in, each weighted by its share of a typical account's spend.
 */
export interface UsageKind {
  usageType: string;
  operation: string;
  unit: string;
  /** USD per unit, as a decimal string (money is never a float). */
  price: string;
  /** Typical units per resource per day. */
  daily: number;
}

export interface DemoService {
  name: string;
  code: string;
  category: string;
  /** Relative share of an account's spend. */
  weight: number;
  global?: boolean;
  kinds: UsageKind[];
}

const k = (usageType: string, operation: string, unit: string, price: string, daily: number): UsageKind => ({
  usageType,
  operation,
  unit,
  price,
  daily,
});

export const SERVICES: DemoService[] = [
  {
    name: 'Amazon Elastic Compute Cloud - Compute',
    code: 'AmazonEC2',
    category: 'Compute',
    weight: 30,
    kinds: [
      k('BoxUsage:m5.large', 'RunInstances', 'Hrs', '0.096', 24),
      k('BoxUsage:t3.medium', 'RunInstances', 'Hrs', '0.0416', 24),
      k('BoxUsage:c6i.xlarge', 'RunInstances', 'Hrs', '0.17', 20),
      k('SpotUsage:m5.xlarge', 'RunInstances:SV001', 'Hrs', '0.0768', 12),
    ],
  },
  {
    name: 'EC2 - Other',
    code: 'AmazonEC2',
    category: 'Compute',
    weight: 8,
    kinds: [
      k('EBS:VolumeUsage.gp3', 'CreateVolume-Gp3', 'GB-Mo', '0.08', 6.5),
      k('NatGateway-Hours', 'NatGateway', 'Hrs', '0.045', 24),
      k('EBS:SnapshotUsage', 'CreateSnapshot', 'GB-Mo', '0.05', 10),
    ],
  },
  {
    name: 'Amazon Relational Database Service',
    code: 'AmazonRDS',
    category: 'Databases',
    weight: 14,
    kinds: [
      k('InstanceUsage:db.r6g.large', 'CreateDBInstance:0016', 'Hrs', '0.225', 24),
      k('RDS:GP3-Storage', 'CreateDBInstance:0016', 'GB-Mo', '0.115', 6),
    ],
  },
  {
    name: 'Amazon Simple Storage Service',
    code: 'AmazonS3',
    category: 'Storage',
    weight: 9,
    kinds: [
      k('TimedStorage-ByteHrs', 'StandardStorage', 'GB-Mo', '0.023', 40),
      k('Requests-Tier1', 'PutObject', 'Requests', '0.000005', 90000),
      k('Requests-Tier2', 'GetObject', 'Requests', '0.0000004', 400000),
    ],
  },
  {
    name: 'Amazon DynamoDB',
    code: 'AmazonDynamoDB',
    category: 'Databases',
    weight: 4,
    kinds: [
      k('WriteRequestUnits', 'PayPerRequestThroughput', 'WriteRequestUnits', '0.00000125', 900000),
      k('ReadRequestUnits', 'PayPerRequestThroughput', 'ReadRequestUnits', '0.00000025', 3000000),
      k('TimedStorage-ByteHrs', 'StandardStorage', 'GB-Mo', '0.25', 2),
    ],
  },
  {
    name: 'AWS Lambda',
    code: 'AWSLambda',
    category: 'Compute',
    weight: 3,
    kinds: [
      k('Lambda-GB-Second', 'Invoke', 'Lambda-GB-Second', '0.0000166667', 60000),
      k('Request', 'Invoke', 'Requests', '0.0000002', 1200000),
    ],
  },
  {
    name: 'Amazon CloudFront',
    code: 'AmazonCloudFront',
    category: 'Networking',
    weight: 3,
    global: true,
    kinds: [
      k('US-DataTransfer-Out-Bytes', 'GET', 'GB', '0.085', 120),
      k('US-Requests-Tier1', 'GET', 'Requests', '0.0000075', 800000),
    ],
  },
  {
    name: 'Elastic Load Balancing',
    code: 'AWSELB',
    category: 'Networking',
    weight: 3,
    kinds: [
      k('LoadBalancerUsage', 'LoadBalancing:Application', 'Hrs', '0.0225', 24),
      k('LCUUsage', 'LoadBalancing:Application', 'LCU-Hrs', '0.008', 60),
    ],
  },
  {
    name: 'Amazon Elastic Container Service for Kubernetes',
    code: 'AmazonEKS',
    category: 'Compute',
    weight: 3,
    kinds: [k('AmazonEKS-Hours:perCluster', 'CreateOperation', 'Hrs', '0.10', 24)],
  },
  {
    name: 'Amazon Elastic Container Service',
    code: 'AmazonECS',
    category: 'Compute',
    weight: 2,
    kinds: [
      k('Fargate-vCPU-Hours:perCPU', 'FargateTask', 'hours', '0.04048', 48),
      k('Fargate-GB-Hours', 'FargateTask', 'hours', '0.004445', 96),
    ],
  },
  {
    name: 'Amazon ElastiCache',
    code: 'AmazonElastiCache',
    category: 'Databases',
    weight: 2,
    kinds: [k('NodeUsage:cache.r6g.large', 'CreateCacheCluster:0002', 'Hrs', '0.206', 24)],
  },
  {
    name: 'Amazon OpenSearch Service',
    code: 'AmazonES',
    category: 'Analytics',
    weight: 2,
    kinds: [k('ESInstance:r6g.large', 'ESDomain', 'Hrs', '0.167', 24)],
  },
  {
    name: 'Amazon Redshift',
    code: 'AmazonRedshift',
    category: 'Analytics',
    weight: 2,
    kinds: [k('Node:ra3.xlplus', 'RunComputeNode:0001', 'Hrs', '1.086', 24)],
  },
  {
    name: 'Amazon Athena',
    code: 'AmazonAthena',
    category: 'Analytics',
    weight: 1,
    kinds: [k('DataScannedInTB', 'RunQuery', 'Terabytes', '5', 0.4)],
  },
  {
    name: 'AWS Glue',
    code: 'AWSGlue',
    category: 'Analytics',
    weight: 1,
    kinds: [k('ETL-DPU-Hour', 'Jobrun', 'DPU-Hour', '0.44', 8)],
  },
  {
    name: 'Amazon Kinesis',
    code: 'AmazonKinesis',
    category: 'Analytics',
    weight: 1,
    kinds: [k('Storage-ShardHour', 'shardHourStorage', 'ShardHour', '0.015', 96)],
  },
  {
    name: 'Amazon Simple Queue Service',
    code: 'AWSQueueService',
    category: 'Integration',
    weight: 1,
    kinds: [k('Requests-Tier1', 'GetQueueAttributes', 'Requests', '0.0000004', 2000000)],
  },
  {
    name: 'Amazon Simple Notification Service',
    code: 'AmazonSNS',
    category: 'Integration',
    weight: 0.5,
    kinds: [k('Requests-Tier1', 'Publish', 'Requests', '0.0000005', 500000)],
  },
  {
    name: 'AmazonCloudWatch',
    code: 'AmazonCloudWatch',
    category: 'Management and Governance',
    weight: 2,
    kinds: [
      k('CW:MetricMonitorUsage', 'MetricStorage', 'Metrics', '0.3', 3),
      k('DataProcessing-Bytes', 'PutLogEvents', 'GB', '0.5', 4),
    ],
  },
  {
    name: 'AWS Key Management Service',
    code: 'awskms',
    category: 'Security',
    weight: 0.4,
    kinds: [
      k('KMS-Keys', 'CreateKey', 'Keys', '0.0328767', 3),
      k('KMS-Requests', 'Decrypt', 'Requests', '0.000003', 40000),
    ],
  },
  {
    name: 'AWS Secrets Manager',
    code: 'AWSSecretsManager',
    category: 'Security',
    weight: 0.3,
    kinds: [k('AWSSecretsManager-Secrets', 'StoreSecret', 'Secrets', '0.0131507', 4)],
  },
  {
    name: 'Amazon Route 53',
    code: 'AmazonRoute53',
    category: 'Networking',
    weight: 0.5,
    global: true,
    kinds: [
      k('HostedZone', 'HostedZone', 'HostedZone', '0.0164384', 2),
      k('DNS-Queries', 'A', 'Queries', '0.0000004', 300000),
    ],
  },
  {
    name: 'Amazon Virtual Private Cloud',
    code: 'AmazonVPC',
    category: 'Networking',
    weight: 1,
    kinds: [
      k('VpcEndpoint-Hours', 'VpcEndpoint', 'Hrs', '0.01', 48),
      k('PublicIPv4:InUseAddress', 'AssociateAddressVPC', 'Hrs', '0.005', 72),
    ],
  },
  {
    name: 'AWS Data Transfer',
    code: 'AWSDataTransfer',
    category: 'Networking',
    weight: 2,
    kinds: [
      k('DataTransfer-Out-Bytes', 'RunInstances', 'GB', '0.09', 60),
      k('DataTransfer-Regional-Bytes', 'InterZone-In', 'GB', '0.01', 200),
    ],
  },
  {
    name: 'Amazon Elastic File System',
    code: 'AmazonEFS',
    category: 'Storage',
    weight: 0.6,
    kinds: [k('TimedStorage-ByteHrs', 'Storage', 'GB-Mo', '0.3', 3)],
  },
  {
    name: 'AWS Backup',
    code: 'AWSBackup',
    category: 'Storage',
    weight: 0.5,
    kinds: [k('WarmStorage-ByteHrs-EBS', 'Storage', 'GB-Mo', '0.05', 12)],
  },
  {
    name: 'Amazon SageMaker',
    code: 'AmazonSageMaker',
    category: 'AI and Machine Learning',
    weight: 2,
    kinds: [
      k('Notebk:ml.t3.medium', 'RunInstance', 'Hrs', '0.05', 10),
      k('Train:ml.g5.xlarge', 'RunInstance', 'Hrs', '1.408', 2),
    ],
  },
  {
    name: 'Amazon Bedrock',
    code: 'AmazonBedrock',
    category: 'AI and Machine Learning',
    weight: 1,
    kinds: [k('InputTokenCount', 'InvokeModelInference', 'Tokens', '0.000003', 200000)],
  },
  {
    name: 'AWS Config',
    code: 'AWSConfig',
    category: 'Management and Governance',
    weight: 0.3,
    kinds: [k('ConfigurationItemRecorded', 'RecordConfigurationItem', 'ConfigurationItem', '0.003', 120)],
  },
  {
    name: 'AWS CloudTrail',
    code: 'AWSCloudTrail',
    category: 'Management and Governance',
    weight: 0.2,
    kinds: [k('PaidEventsRecorded', 'None', 'Events', '0.000002', 60000)],
  },
  {
    name: 'Amazon GuardDuty',
    code: 'AmazonGuardDuty',
    category: 'Security',
    weight: 0.5,
    kinds: [k('PaidEventsAnalyzed', 'CloudTrailAnalysis', 'Events', '0.000004', 90000)],
  },
  {
    name: 'AWS WAF',
    code: 'awswaf',
    category: 'Security',
    weight: 0.4,
    kinds: [k('WebACL', 'WebACL', 'WebACL', '0.1643836', 1), k('Request', 'Request', 'Requests', '0.0000006', 200000)],
  },
];

export interface DemoRegion {
  id: string;
  prefix: string;
  weight: number;
}

export const REGIONS: DemoRegion[] = [
  { id: 'us-east-1', prefix: 'USE1-', weight: 5 },
  { id: 'us-west-2', prefix: 'USW2-', weight: 3 },
  { id: 'eu-west-1', prefix: 'EU-', weight: 2 },
  { id: 'eu-central-1', prefix: 'EUC1-', weight: 1.5 },
  { id: 'ap-northeast-1', prefix: 'APN1-', weight: 1 },
  { id: 'ap-southeast-2', prefix: 'APS2-', weight: 0.7 },
];
