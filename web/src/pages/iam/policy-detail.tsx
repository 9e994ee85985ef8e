import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { iamApi } from '../../client/operations';
import { formatDate, policyType } from '../../components/format';
import { PolicySummary } from '../../components/policy-summary';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { navigate } from '../../router';
import { DeleteModal, policyDeleteSteps } from './delete-modal';

export function PolicyDetailPage({ policyArn }: { policyArn: string }) {
  const policy = useAsync(() => iamApi.getPolicy(policyArn), [policyArn]);
  const document = useAsync(
    async () => (policy.data ? iamApi.getPolicyDocument(policyArn, policy.data.DefaultVersionId ?? 'v1') : undefined),
    [policy.data],
  );
  const entities = useAsync(() => iamApi.listEntitiesForPolicy(policyArn), [policyArn]);
  const versions = useAsync(() => iamApi.listPolicyVersions(policyArn), [policyArn]);
  const [deleting, setDeleting] = useState(false);
  const [detach, setDetach] = useState(false);
  if (policy.loading) return <Loading />;
  if (policy.error) return <ErrorAlert error={policy.error} />;
  const p = policy.data!;
  const attachedTo = [
    ...(entities.data?.PolicyGroups ?? []).map((g) => ({ name: g.GroupName, type: 'Group' })),
    ...(entities.data?.PolicyUsers ?? []).map((u) => ({ name: u.UserName, type: 'User' })),
    ...(entities.data?.PolicyRoles ?? []).map((r) => ({ name: r.RoleName, type: 'Role' })),
  ];
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            {policyType(p.Arn) === 'Customer managed' && (
              <Button
                onClick={() => {
                  setDetach(false);
                  setDeleting(true);
                }}
              >
                Delete
              </Button>
            )}
            <Button onClick={() => navigate(`/iam/policy/attach?arn=${encodeURIComponent(policyArn)}`)}>Attach</Button>
          </SpaceBetween>
        }
      >
        {p.PolicyName}
      </Header>
      <Container header={<Header variant="h2">Policy details</Header>}>
        <ColumnLayout columns={3} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Type</Box>
            <div>{policyType(p.Arn)}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Creation time</Box>
            <div>{formatDate(p.CreateDate)}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">ARN</Box>
            <div>{p.Arn}</div>
          </div>
        </ColumnLayout>
      </Container>
      <Tabs
        tabs={[
          {
            id: 'permissions',
            label: 'Permissions',
            content: document.loading ? (
              <Loading />
            ) : document.error ? (
              <ErrorAlert error={document.error} />
            ) : (
              <SpaceBetween size="l">
                <PolicySummary document={document.data ?? '{}'} />
                <Container header={<Header variant="h2">JSON</Header>}>
                  <pre aria-label="Policy document" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {document.data}
                  </pre>
                </Container>
              </SpaceBetween>
            ),
          },
          {
            id: 'versions',
            label: 'Policy versions',
            content: (
              <Table
                header={<Header variant="h2">Policy versions</Header>}
                items={versions.data ?? []}
                loading={versions.loading}
                loadingText="Loading versions"
                empty={<EmptyState title="No versions" subtitle={versions.error?.message ?? 'No versions.'} />}
                columnDefinitions={[
                  {
                    id: 'version',
                    header: 'Version',
                    cell: (v) => `${v.VersionId}${v.IsDefaultVersion ? ' (Default)' : ''}`,
                  },
                  { id: 'created', header: 'Creation time', cell: (v) => formatDate(v.CreateDate) },
                ]}
              />
            ),
          },
          {
            id: 'entities',
            label: 'Entities attached',
            content: (
              <Table
                header={<Header variant="h2">Entities attached</Header>}
                items={attachedTo}
                loading={entities.loading}
                loadingText="Loading entities"
                empty={<EmptyState title="No entities" subtitle="This policy is not attached to any identity." />}
                columnDefinitions={[
                  { id: 'name', header: 'Entity name', cell: (e) => e.name },
                  { id: 'type', header: 'Entity type', cell: (e) => e.type },
                ]}
              />
            ),
          },
        ]}
      />
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="policy"
        names={[p.PolicyName]}
        steps={() => policyDeleteSteps(policyArn, detach)}
        returnTo="/iam/policies"
      >
        <SpaceBetween size="s">
          <Box variant="p">Deleting a customer managed policy deletes all its versions. This can't be undone.</Box>
          {attachedTo.length > 0 && (
            <Box variant="p">
              This policy is attached to {attachedTo.map((e) => e.name).join(', ')}. A policy in use can't be deleted
              until it is detached.
            </Box>
          )}
          <Checkbox checked={detach} onChange={(e) => setDetach(e.detail.checked)}>
            Detach from all users, user groups and roles first
          </Checkbox>
        </SpaceBetween>
      </DeleteModal>
    </SpaceBetween>
  );
}
