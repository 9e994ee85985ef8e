/**
 * The names the IAM console's visual editor shows for services. The catalog's data names services the way
 * the Service Authorization Reference does ("AWS Billing Console"); the editor drops the "AWS"/"Amazon"
 * brand and uses a few short forms, which this table records.
 */
const OVERRIDES: Record<string, string> = {
  'aws-portal': 'Billing Console',
  iam: 'IAM',
  sts: 'STS',
  ec2: 'EC2',
  s3: 'S3',
};

export function displayName(prefix: string, dataName: string): string {
  return OVERRIDES[prefix] ?? dataName.replace(/^(AWS|Amazon)\s+/, '');
}
