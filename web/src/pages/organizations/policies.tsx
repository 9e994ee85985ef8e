import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { organizationsApi, type OrgPolicySummary, type PolicyTarget } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { followHref, navigate } from '../../router';
import { flatten, KIND_LABEL, loadOrganization, type OrgView } from './org-tree';

export const SCP = 'SERVICE_CONTROL_POLICY';

function EnableScps({ view, onEnabled }: { view: OrgView; onEnabled: () => void }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const enable = () =>
    submit(async () => {
      await organizationsApi.enablePolicyType(view.root.Id, SCP);
      notify.success('Service control policies are enabled. FullAWSAccess is attached to every root, OU and account.');
      onEnabled();
    });
  return (
    <Container header={<Header variant="h2">Service control policies</Header>}>
      <SpaceBetween size="m">
        <StatusIndicator type="stopped">Disabled</StatusIndicator>
        <Box variant="p">
          Service control policies (SCPs) set the most permissions that IAM users and roles in the organization&apos;s
          member accounts can have. Enabling them attaches the AWS managed FullAWSAccess policy everywhere, so nothing
          changes until you attach a policy that denies.
        </Box>
        <Button variant="primary" loading={busy} onClick={() => void enable()}>
          Enable service control policies
        </Button>
      </SpaceBetween>
    </Container>
  );
}

/** Where the selected policy is attached, with Attach (to any root, OU or account) and Detach. */
function PolicyTargets({ policy, view }: { policy: OrgPolicySummary; view: OrgView }) {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const targets = useAsync(() => organizationsApi.listTargetsForPolicy(policy.Id), [policy.Id]);
  const [selected, setSelected] = useState<PolicyTarget[]>([]);
  const [targetId, setTargetId] = useState<string | undefined>(undefined);
  const nodes = flatten(view.tree).filter((n) => !(targets.data ?? []).some((t) => t.TargetId === n.id));
  const chosen = nodes.find((n) => n.id === targetId);

  const attach = () =>
    submit(async () => {
      if (chosen === undefined) return;
      await organizationsApi.attachPolicy(policy.Id, chosen.id);
      notify.success(`${policy.Name} was attached to ${chosen.name}.`);
      setTargetId(undefined);
      targets.reload();
    });
  const detach = () =>
    submit(async () => {
      const target = selected[0];
      if (target === undefined) return;
      await organizationsApi.detachPolicy(policy.Id, target.TargetId);
      notify.success(`${policy.Name} was detached from ${target.Name}.`);
      setSelected([]);
      targets.reload();
    });

  if (targets.error) return <ErrorAlert error={targets.error} />;
  return (
    <Table<PolicyTarget>
      variant="container"
      items={targets.data ?? []}
      loading={targets.loading}
      loadingText="Loading targets"
      trackBy="TargetId"
      selectionType="single"
      selectedItems={selected}
      onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
      ariaLabels={{
        tableLabel: `Targets of ${policy.Name}`,
        selectionGroupLabel: 'Target selection',
        itemSelectionLabel: (_s, t) => `Select ${t.Name}`,
      }}
      header={
        <Header
          variant="h2"
          counter={`(${targets.data?.length ?? 0})`}
          description={`The roots, organizational units and accounts ${policy.Name} applies to.`}
          actions={
            <SpaceBetween direction="horizontal" size="xs" alignItems="end">
              <Button disabled={selected.length === 0} loading={busy} onClick={() => void detach()}>
                Detach
              </Button>
              <FormField label="Target">
                <Select
                  selectedOption={chosen ? { value: chosen.id, label: chosen.name } : null}
                  onChange={(e) => setTargetId(e.detail.selectedOption.value)}
                  options={nodes.map((n) => ({
                    value: n.id,
                    label: n.name,
                    description: `${KIND_LABEL[n.kind]} ${n.id}`,
                  }))}
                  placeholder="Choose a root, OU or account"
                  ariaLabel="Target to attach to"
                />
              </FormField>
              <Button variant="primary" disabled={chosen === undefined} loading={busy} onClick={() => void attach()}>
                Attach
              </Button>
            </SpaceBetween>
          }
        >
          Targets
        </Header>
      }
      columnDefinitions={[
        { id: 'name', header: 'Name', cell: (t) => t.Name },
        { id: 'id', header: 'ID', cell: (t) => t.TargetId },
        { id: 'type', header: 'Type', cell: (t) => KIND_LABEL[t.Type] },
      ]}
      empty={<EmptyState title="Not attached" subtitle="This policy is attached to no root, OU or account." />}
    />
  );
}

function ServiceControlPolicies({ view }: { view: OrgView }) {
  const policies = useAsync(() => organizationsApi.listPolicies(SCP), []);
  const [selected, setSelected] = useState<OrgPolicySummary[]>([]);
  const policy = selected[0];
  if (policies.error) return <ErrorAlert error={policies.error} />;
  return (
    <SpaceBetween size="l">
      <ResourceTable<OrgPolicySummary>
        title="Service control policies"
        description="Enabled on the root. Select a policy to see and change where it is attached."
        headerVariant="h2"
        items={policies.data ?? []}
        loading={policies.loading}
        resourceName="policy"
        filterPlaceholder="Find policies"
        trackBy="Id"
        selectionType="single"
        selectedItems={selected}
        onSelectionChange={setSelected}
        actions={
          <Button variant="primary" onClick={() => navigate('/organizations/policies/create')}>
            Create policy
          </Button>
        }
        columns={[
          { id: 'name', header: 'Name', cell: (p) => p.Name, sortingField: 'Name' },
          { id: 'id', header: 'ID', cell: (p) => p.Id },
          { id: 'type', header: 'Type', cell: (p) => (p.AwsManaged ? 'AWS managed' : 'Customer managed') },
          { id: 'description', header: 'Description', cell: (p) => p.Description || '-' },
        ]}
      />
      {policy !== undefined && <PolicyTargets key={policy.Id} policy={policy} view={view} />}
    </SpaceBetween>
  );
}

export function OrganizationPoliciesPage() {
  const org = useAsync(loadOrganization, []);
  const scpEnabled = org.data?.root.PolicyTypes.some((t) => t.Type === SCP && t.Status === 'ENABLED') ?? false;
  return (
    <SpaceBetween size="l">
      <Header variant="h1" description="Policies of your organization, applied to its root, OUs and accounts.">
        Policies
      </Header>
      {org.loading && org.data === undefined ? (
        <Loading label="Loading the organization" />
      ) : org.error ? (
        <ErrorAlert error={org.error} />
      ) : org.data === null ? (
        <Box>
          This account is not in an organization.{' '}
          <Link href="#/organizations/accounts" onFollow={followHref}>
            Create an organization
          </Link>{' '}
          first.
        </Box>
      ) : org.data && !scpEnabled ? (
        <EnableScps view={org.data} onEnabled={org.reload} />
      ) : org.data ? (
        <ServiceControlPolicies view={org.data} />
      ) : null}
    </SpaceBetween>
  );
}
