import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { decodePolicyDocument, iamApi } from '../../client/operations';
import { formatDate } from '../../components/format';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { followHref } from '../../router';

export function RoleDetailPage({ roleName }: { roleName: string }) {
  const role = useAsync(() => iamApi.getRole(roleName), [roleName]);
  const policies = useAsync(() => iamApi.listAttachedRolePolicies(roleName), [roleName]);
  if (role.loading) return <Loading />;
  if (role.error) return <ErrorAlert error={role.error} />;
  const r = role.data!;
  return (
    <SpaceBetween size="l">
      <Header variant="h1">{r.RoleName}</Header>
      <Container header={<Header variant="h2">Summary</Header>}>
        <ColumnLayout columns={2} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">ARN</Box>
            <div>{r.Arn}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Creation date</Box>
            <div>{formatDate(r.CreateDate)}</div>
          </div>
        </ColumnLayout>
      </Container>
      <Tabs
        tabs={[
          {
            id: 'permissions',
            label: 'Permissions',
            content: (
              <Table
                header={<Header variant="h2">Permissions policies</Header>}
                items={policies.data ?? []}
                loading={policies.loading}
                loadingText="Loading policies"
                empty={<EmptyState title="No policies" subtitle={policies.error?.message ?? 'No policies attached.'} />}
                columnDefinitions={[
                  {
                    id: 'name',
                    header: 'Policy name',
                    cell: (p) => (
                      <Link href={`#/iam/policy?arn=${encodeURIComponent(p.PolicyArn)}`} onFollow={followHref}>
                        {p.PolicyName}
                      </Link>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            id: 'trust',
            label: 'Trust relationships',
            content: (
              <Container header={<Header variant="h2">Trusted entities</Header>}>
                <pre aria-label="Trust policy" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {decodePolicyDocument(r.AssumeRolePolicyDocument ?? '{}')}
                </pre>
              </Container>
            ),
          },
        ]}
      />
    </SpaceBetween>
  );
}
