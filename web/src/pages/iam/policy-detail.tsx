import Box from '@cloudscape-design/components/box';
import Checkbox from '@cloudscape-design/components/checkbox';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useCallback, useState } from 'react';
import { iamApi } from '../../client/operations';
import { AccessChangePreview } from '../../components/access-change-preview';
import { formatDate, policyType } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { PolicySummary } from '../../components/policy-summary';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { DeleteModal, policyDeleteSteps } from './delete-modal';
import { canSave, PolicyJsonEditor } from '../../components/policy-json-editor';

type PolicyVersion = Awaited<ReturnType<typeof iamApi.listPolicyVersions>>[number];

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
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [editing, setEditing] = useState<string | null>(null);
  const [valid, setValid] = useState(false);
  const onValid = useCallback((v: boolean) => setValid(v), []);
  const [version, setVersion] = useState<PolicyVersion[]>([]);
  if (policy.loading && policy.data === undefined) return <Loading />;
  if (policy.error) return <ErrorAlert error={policy.error} />;
  const p = policy.data!;
  const customer = policyType(p.Arn) === 'Customer managed';
  const afterChange = (message: string) => {
    notify.success(message);
    setVersion([]);
    policy.reload();
    versions.reload();
  };
  // Edit policy saves a new version and makes it the default, as AWS's console does.
  const save = () =>
    submit(async () => {
      await iamApi.createPolicyVersion(policyArn, JSON.stringify(JSON.parse(editing!)));
      setEditing(null);
      afterChange(`Policy ${p.PolicyName} updated.`);
    });
  const setDefault = () =>
    submit(async () => {
      await iamApi.setDefaultPolicyVersion(policyArn, version[0]!.VersionId);
      afterChange(`Version ${version[0]!.VersionId} is now the default.`);
    });
  const deleteVersion = () =>
    submit(async () => {
      await iamApi.deletePolicyVersion(policyArn, version[0]!.VersionId);
      afterChange(`Version ${version[0]!.VersionId} deleted.`);
    });
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
            {customer && (
              <Button
                disabled={editing !== null || document.data === undefined}
                onClick={() => setEditing(document.data!)}
              >
                Edit
              </Button>
            )}
            {customer && (
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
            content:
              editing !== null ? (
                <Container
                  header={
                    <Header
                      variant="h2"
                      actions={
                        <SpaceBetween direction="horizontal" size="xs">
                          <Button variant="link" onClick={() => setEditing(null)}>
                            Cancel
                          </Button>
                          <Button variant="primary" loading={busy} disabled={!valid} onClick={() => void save()}>
                            Save changes
                          </Button>
                        </SpaceBetween>
                      }
                    >
                      Policy editor
                    </Header>
                  }
                >
                  <SpaceBetween size="m">
                    <PolicyJsonEditor
                      kind="managed"
                      ariaLabel="Policy document JSON"
                      value={editing}
                      onChange={setEditing}
                      onFindings={(findings) => onValid(canSave(findings))}
                    />
                    {/* Only a document that can be saved is previewed, and only once it differs from the default. */}
                    <AccessChangePreview
                      changes={
                        valid && editing !== document.data
                          ? [{ Type: 'CreatePolicyVersion', PolicyArn: policyArn, PolicyDocument: editing }]
                          : []
                      }
                    />
                  </SpaceBetween>
                </Container>
              ) : document.loading ? (
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
                header={
                  <Header
                    variant="h2"
                    actions={
                      customer && (
                        <SpaceBetween direction="horizontal" size="xs">
                          <Button
                            disabled={version[0] === undefined || version[0].IsDefaultVersion}
                            onClick={() => void setDefault()}
                          >
                            Set as default
                          </Button>
                          <Button
                            disabled={version[0] === undefined || version[0].IsDefaultVersion}
                            onClick={() => void deleteVersion()}
                          >
                            Delete
                          </Button>
                        </SpaceBetween>
                      )
                    }
                  >
                    Policy versions
                  </Header>
                }
                selectionType={customer ? 'single' : undefined}
                selectedItems={version}
                onSelectionChange={(e) => setVersion(e.detail.selectedItems)}
                trackBy="VersionId"
                ariaLabels={{ itemSelectionLabel: (_s, v) => `Select ${v.VersionId}`, selectionGroupLabel: 'Versions' }}
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
