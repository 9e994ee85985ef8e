import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import { useCallback, useState } from 'react';
import { decodePolicyDocument, iamApi, type Role } from '../../client/operations';
import { formatDate } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { AttachedPolicies } from './attached-policies';
import { DeleteModal, roleDeleteSteps } from './delete-modal';
import { canSave, PolicyJsonEditor } from '../../components/policy-json-editor';

/** Trust relationships: the trust policy, and Edit trust policy (UpdateAssumeRolePolicy). */
function TrustRelationships({ role, onSaved }: { role: Role; onSaved: () => void }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const current = decodePolicyDocument(role.AssumeRolePolicyDocument ?? '{}');
  const [draft, setDraft] = useState<string | null>(null);
  const [valid, setValid] = useState(false);
  const onValid = useCallback((v: boolean) => setValid(v), []);
  const save = () =>
    submit(async () => {
      await iamApi.updateAssumeRolePolicy(role.RoleName, JSON.stringify(JSON.parse(draft!)));
      notify.success(`Trust policy updated for ${role.RoleName}.`);
      setDraft(null);
      onSaved();
    });
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Entities that can assume this role under specified conditions."
          actions={
            draft === null ? (
              <Button onClick={() => setDraft(current)}>Edit trust policy</Button>
            ) : (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="link" onClick={() => setDraft(null)}>
                  Cancel
                </Button>
                <Button variant="primary" loading={busy} disabled={!valid} onClick={() => void save()}>
                  Update policy
                </Button>
              </SpaceBetween>
            )
          }
        >
          Trusted entities
        </Header>
      }
    >
      {draft === null ? (
        <pre aria-label="Trust policy" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {current}
        </pre>
      ) : (
        <PolicyJsonEditor
          kind="trust"
          ariaLabel="Trust policy JSON"
          value={draft}
          onChange={setDraft}
          onFindings={(findings) => onValid(canSave(findings))}
        />
      )}
    </Container>
  );
}

export function RoleDetailPage({ roleName }: { roleName: string }) {
  const role = useAsync(() => iamApi.getRole(roleName), [roleName]);
  const [deleting, setDeleting] = useState(false);
  if (role.loading && role.data === undefined) return <Loading />;
  if (role.error) return <ErrorAlert error={role.error} />;
  const r = role.data!;
  return (
    <SpaceBetween size="l">
      <Header variant="h1" actions={<Button onClick={() => setDeleting(true)}>Delete</Button>}>
        {r.RoleName}
      </Header>
      <Container header={<Header variant="h2">Summary</Header>}>
        <ColumnLayout columns={3} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">ARN</Box>
            <div>{r.Arn}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Creation date</Box>
            <div>{formatDate(r.CreateDate)}</div>
          </div>
          <div>
            <Box variant="awsui-key-label">Description</Box>
            <div>{r.Description || '-'}</div>
          </div>
        </ColumnLayout>
      </Container>
      <Tabs
        tabs={[
          {
            id: 'permissions',
            label: 'Permissions',
            content: <AttachedPolicies kind="Role" name={roleName} />,
          },
          {
            id: 'trust',
            label: 'Trust relationships',
            content: <TrustRelationships role={r} onSaved={role.reload} />,
          },
        ]}
      />
      <DeleteModal
        visible={deleting}
        onDismiss={() => setDeleting(false)}
        resource="role"
        names={[roleName]}
        steps={roleDeleteSteps}
        returnTo="/iam/roles"
      >
        <Box variant="p">
          Deleting a role deletes its inline policies and detaches its managed policies. Anyone using the role loses
          access when their session ends.
        </Box>
      </DeleteModal>
    </SpaceBetween>
  );
}
