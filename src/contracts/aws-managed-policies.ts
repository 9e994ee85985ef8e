/**
 * AWS's own descriptions of the AWS managed policies Bursar ships (src/iam/aws-managed-policies), word for word
 * as AWS's managed policy reference gives them: the server seeds them, and the console's Policies list shows them
 * (IAM's ListPolicies leaves descriptions out, as AWS's does).
 */
export const AWS_MANAGED_POLICY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': 'Provides full access to AWS services and resources.',
  'arn:aws:iam::aws:policy/AWSAccountActivityAccess': 'Allows users to access the Account Activity page.',
  'arn:aws:iam::aws:policy/AWSAccountManagementFullAccess': 'Provides full access to AWS Account Management',
  'arn:aws:iam::aws:policy/AWSAccountManagementReadOnlyAccess': 'Provides read-only access to AWS Account Management',
  'arn:aws:iam::aws:policy/AWSAccountUsageReportAccess': 'Allows users to access the Account Usage Report page.',
  'arn:aws:iam::aws:policy/AWSBillingConductorFullAccess':
    'Use the AWSBillingConductorFullAccess managed policy to allow complete access to AWS Billing Conductor (ABC) console and APIs. This policy allows users to list, create and delete ABC resources.',
  'arn:aws:iam::aws:policy/AWSBillingConductorReadOnlyAccess':
    'Use the AWSBillingConductorReadOnlyAccess managed policy to allow read only access to AWS Billing Conductor (ABC) console and APIs. This policy grants permission to view and list all ABC resources. It does not include the ability to create or delete resources.',
  'arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess': 'Allows users to view bills on the Billing Console.',
  'arn:aws:iam::aws:policy/AWSBudgetsActionsWithAWSResourceControlAccess':
    'Provides full access to AWS Budgets Actions including using Budgets Actions to control states of running AWS resources via AWS Management Console',
  'arn:aws:iam::aws:policy/AWSBudgetsReadOnlyAccess':
    'Provides read only access to AWS Budgets Console via the AWS Management Console.',
  'arn:aws:iam::aws:policy/AWSPurchaseOrdersServiceRolePolicy':
    'Grants permissions to view and modify purchase orders on billing console',
  'arn:aws:iam::aws:policy/AWSSavingsPlansReadOnlyAccess': 'Provides read only access to Savings Plans service',
  'arn:aws:iam::aws:policy/job-function/Billing':
    'Grants permissions for billing and cost management. This includes viewing account usage and viewing and modifying budgets and payment methods.',
  'arn:aws:iam::aws:policy/CostOptimizationHubReadOnlyAccess':
    'This managed policy provides read-only access to Cost Optimization Hub.',
  'arn:aws:iam::aws:policy/IAMFullAccess': 'Provides full access to IAM via the AWS Management Console.',
  'arn:aws:iam::aws:policy/IAMReadOnlyAccess': 'Provides read only access to IAM via the AWS Management Console.',
  'arn:aws:iam::aws:policy/IAMUserChangePassword': 'Provides the ability for an IAM user to change their own password.',
  'arn:aws:iam::aws:policy/PowerUserAccess':
    'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
  'arn:aws:iam::aws:policy/ReadOnlyAccess': 'Provides read-only access to AWS services and resources.',
  'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess':
    'This policy grants permissions to view resources and basic metadata across all AWS services.',
};
