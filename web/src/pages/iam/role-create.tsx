import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import Tiles from '@cloudscape-design/components/tiles';
import Wizard from '@cloudscape-design/components/wizard';
import { useCallback, useState } from 'react';
import { iamApi, type ManagedPolicy, type Tag } from '../../client/operations';
import { policyType } from '../../components/format';
import { useNotify } from '../../components/notifications';
import { ResourceTable } from '../../components/resource-table';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { useIdentity } from '../../session';
import { canSave, PolicyJsonEditor } from '../../components/policy-json-editor';

type EntityType = 'service' | 'account' | 'custom';

/** AWS's starting point for a custom trust policy: one statement, the principal left to fill in. */
const CUSTOM_TRUST_TEMPLATE = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Statement1', Effect: 'Allow', Principal: {}, Action: 'sts:AssumeRole' }],
  },
  null,
  2,
);

/** The common use cases AWS's wizard lists first, by the service principal they trust. */
const SERVICES: SelectProps.Option[] = [
  {
    value: 'ec2.amazonaws.com',
    label: 'EC2',
    description: 'Allows EC2 instances to call AWS services on your behalf.',
  },
  { value: 'lambda.amazonaws.com', label: 'Lambda', description: 'Allows Lambda functions to call AWS services.' },
  { value: 'ecs-tasks.amazonaws.com', label: 'Elastic Container Service Task', description: 'Allows ECS tasks.' },
  { value: 'states.amazonaws.com', label: 'Step Functions', description: 'Allows Step Functions state machines.' },
  { value: 'glue.amazonaws.com', label: 'Glue', description: 'Allows Glue to call AWS services.' },
  { value: 'apigateway.amazonaws.com', label: 'API Gateway', description: 'Allows API Gateway to push logs.' },
];

interface AccountChoice {
  which: 'this' | 'another';
  otherAccountId: string;
  requireExternalId: boolean;
  externalId: string;
  requireMfa: boolean;
}

/** The trust policy the wizard writes for an AWS service or account, as AWS's wizard writes it. */
function trustPolicyFor(type: 'service' | 'account', service: string, account: AccountChoice, own: string) {
  const condition: Record<string, Record<string, string>> = {};
  if (type === 'account' && account.requireExternalId)
    condition.StringEquals = { 'sts:ExternalId': account.externalId };
  if (type === 'account' && account.requireMfa) condition.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
  const principal =
    type === 'service'
      ? { Service: service }
      : { AWS: `arn:aws:iam::${account.which === 'this' ? own : account.otherAccountId}:root` };
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: principal,
          Action: 'sts:AssumeRole',
          ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
        },
      ],
    },
    null,
    2,
  );
}

export function RoleCreatePage() {
  const identity = useIdentity();
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const policies = useAsync(() => iamApi.listPolicies('All'), []);
  const [stepIndex, setStepIndex] = useState(0);
  const [type, setType] = useState<EntityType>('service');
  const [service, setService] = useState<SelectProps.Option | null>(null);
  const [account, setAccount] = useState<AccountChoice>({
    which: 'this',
    otherAccountId: '',
    requireExternalId: false,
    externalId: '',
    requireMfa: false,
  });
  const [custom, setCustom] = useState(CUSTOM_TRUST_TEMPLATE);
  const [customValid, setCustomValid] = useState(false);
  const onCustomValid = useCallback((valid: boolean) => setCustomValid(valid), []);
  const [selectedPolicies, setSelectedPolicies] = useState<ManagedPolicy[]>([]);
  const [roleName, setRoleName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<Tag[]>([]);
  const [stepError, setStepError] = useState<string | null>(null);

  const trustPolicy =
    type === 'custom' ? custom : trustPolicyFor(type, String(service?.value), account, identity.accountId);

  /** What stops the first step, in AWS's words. */
  const entityProblem = (): string | null => {
    if (type === 'service' && service === null) return 'Choose a service or use case.';
    if (type === 'account' && account.which === 'another' && !/^\d{12}$/.test(account.otherAccountId)) {
      return 'Enter a valid 12-digit AWS account ID.';
    }
    if (type === 'account' && account.requireExternalId && account.externalId.trim() === '') {
      return 'Enter an external ID.';
    }
    if (type === 'custom' && !customValid) return 'Fix the errors in the trust policy.';
    return null;
  };

  const create = () =>
    submit(async () => {
      await iamApi.createRole({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify(JSON.parse(trustPolicy)),
        ...(description ? { Description: description } : {}),
        ...(tags.length > 0 ? { Tags: tags.filter((t) => t.Key !== '') } : {}),
      });
      for (const p of selectedPolicies) await iamApi.attachRolePolicy(roleName, p.Arn);
      notify.success(`Role ${roleName} created.`, undefined, true);
      navigate('/iam/roles');
    });

  return (
    <Wizard
      activeStepIndex={stepIndex}
      isLoadingNextStep={busy}
      onNavigate={(e) => {
        const problem = e.detail.requestedStepIndex > stepIndex && stepIndex === 0 ? entityProblem() : null;
        setStepError(problem);
        if (problem === null) setStepIndex(e.detail.requestedStepIndex);
      }}
      onCancel={() => navigate('/iam/roles')}
      onSubmit={() => void create()}
      submitButtonText="Create role"
      i18nStrings={{
        stepNumberLabel: (n) => `Step ${n}`,
        collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
        navigationAriaLabel: 'Steps',
        cancelButton: 'Cancel',
        previousButton: 'Previous',
        nextButton: 'Next',
        optional: 'optional',
      }}
      steps={[
        {
          title: 'Select trusted entity',
          errorText: stepError ?? undefined,
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Trusted entity type</Header>}>
                <Tiles
                  ariaLabel="Trusted entity type"
                  value={type}
                  onChange={(e) => setType(e.detail.value as EntityType)}
                  columns={3}
                  items={[
                    {
                      value: 'service',
                      label: 'AWS service',
                      description: 'Allow AWS services like EC2 or Lambda to perform actions in this account.',
                    },
                    {
                      value: 'account',
                      label: 'AWS account',
                      description:
                        'Allow entities in other AWS accounts belonging to you or a 3rd party to perform actions in this account.',
                    },
                    {
                      value: 'custom',
                      label: 'Custom trust policy',
                      description: 'Create a custom trust policy to enable others to perform actions in this account.',
                    },
                  ]}
                />
              </Container>
              {type === 'service' && (
                <Container header={<Header variant="h2">Use case</Header>}>
                  <FormField label="Service or use case">
                    <Select
                      selectedOption={service}
                      onChange={(e) => setService(e.detail.selectedOption)}
                      options={SERVICES}
                      placeholder="Choose a service or use case"
                      filteringType="auto"
                      ariaLabel="Service or use case"
                    />
                  </FormField>
                </Container>
              )}
              {type === 'account' && (
                <Container header={<Header variant="h2">An AWS account</Header>}>
                  <SpaceBetween size="m">
                    <RadioGroup
                      ariaLabel="An AWS account"
                      value={account.which}
                      onChange={(e) => setAccount({ ...account, which: e.detail.value as 'this' | 'another' })}
                      items={[
                        { value: 'this', label: `This account (${identity.accountId})` },
                        { value: 'another', label: 'Another AWS account' },
                      ]}
                    />
                    {account.which === 'another' && (
                      <FormField label="Account ID" constraintText="12 digits.">
                        <Input
                          value={account.otherAccountId}
                          onChange={(e) => setAccount({ ...account, otherAccountId: e.detail.value.trim() })}
                          ariaLabel="Account ID"
                        />
                      </FormField>
                    )}
                    <Checkbox
                      checked={account.requireExternalId}
                      onChange={(e) => setAccount({ ...account, requireExternalId: e.detail.checked })}
                      description="Best practice when a third party will assume this role."
                    >
                      Require external ID
                    </Checkbox>
                    {account.requireExternalId && (
                      <FormField label="External ID">
                        <Input
                          value={account.externalId}
                          onChange={(e) => setAccount({ ...account, externalId: e.detail.value })}
                          ariaLabel="External ID"
                        />
                      </FormField>
                    )}
                    <Checkbox
                      checked={account.requireMfa}
                      onChange={(e) => setAccount({ ...account, requireMfa: e.detail.checked })}
                      description="Requires that the assuming entity use multi-factor authentication."
                    >
                      Require MFA
                    </Checkbox>
                  </SpaceBetween>
                </Container>
              )}
              {type === 'custom' && (
                <Container header={<Header variant="h2">Custom trust policy</Header>}>
                  <PolicyJsonEditor
                    kind="trust"
                    ariaLabel="Trust policy JSON"
                    value={custom}
                    onChange={setCustom}
                    onFindings={(findings) => onCustomValid(canSave(findings))}
                  />
                </Container>
              )}
            </SpaceBetween>
          ),
        },
        {
          title: 'Add permissions',
          content: (
            <ResourceTable<ManagedPolicy>
              headerVariant="h2"
              title="Permissions policies"
              items={policies.data ?? []}
              loading={policies.loading}
              trackBy="Arn"
              resourceName="policy"
              filterPlaceholder="Filter policies by property or policy name"
              selectionType="multi"
              selectedItems={selectedPolicies}
              onSelectionChange={setSelectedPolicies}
              columns={[
                { id: 'name', header: 'Policy name', cell: (p) => p.PolicyName, sortingField: 'PolicyName' },
                { id: 'type', header: 'Type', cell: (p) => policyType(p.Arn) },
              ]}
            />
          ),
        },
        {
          title: 'Name, review, and create',
          content: (
            <SpaceBetween size="l">
              <Container header={<Header variant="h2">Role details</Header>}>
                <SpaceBetween size="m">
                  <FormField
                    label="Role name"
                    constraintText="Maximum 64 characters. Use alphanumeric and '+=,.@-_' characters."
                  >
                    <Input value={roleName} onChange={(e) => setRoleName(e.detail.value)} ariaLabel="Role name" />
                  </FormField>
                  <FormField label="Description" constraintText="Maximum 1000 characters.">
                    <Textarea
                      value={description}
                      onChange={(e) => setDescription(e.detail.value)}
                      ariaLabel="Description"
                    />
                  </FormField>
                </SpaceBetween>
              </Container>
              <Container header={<Header variant="h2">Step 1: Select trusted entities</Header>}>
                <pre aria-label="Trust policy" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                  {trustPolicy}
                </pre>
              </Container>
              <Container header={<Header variant="h2">Step 2: Add permissions</Header>}>
                {selectedPolicies.length === 0 ? (
                  <Box color="text-status-inactive">No permissions policies.</Box>
                ) : (
                  <ul aria-label="Permissions policy summary">
                    {selectedPolicies.map((p) => (
                      <li key={p.Arn}>{p.PolicyName}</li>
                    ))}
                  </ul>
                )}
              </Container>
              <Container
                header={
                  <Header
                    variant="h2"
                    description="Tags are key-value pairs that you can add to AWS resources to help identify, organize, or search for resources."
                  >
                    Step 3: Add tags - optional
                  </Header>
                }
              >
                <SpaceBetween size="s">
                  {tags.map((tag, i) => (
                    <ColumnLayout columns={3} key={i}>
                      <Input
                        value={tag.Key}
                        onChange={(e) => setTags(tags.map((t, j) => (j === i ? { ...t, Key: e.detail.value } : t)))}
                        ariaLabel={`Tag key ${i + 1}`}
                        placeholder="Key"
                      />
                      <Input
                        value={tag.Value}
                        onChange={(e) => setTags(tags.map((t, j) => (j === i ? { ...t, Value: e.detail.value } : t)))}
                        ariaLabel={`Tag value ${i + 1}`}
                        placeholder="Value - optional"
                      />
                      <Button onClick={() => setTags(tags.filter((_, j) => j !== i))}>Remove</Button>
                    </ColumnLayout>
                  ))}
                  <Button onClick={() => setTags([...tags, { Key: '', Value: '' }])} disabled={tags.length >= 50}>
                    Add new tag
                  </Button>
                </SpaceBetween>
              </Container>
            </SpaceBetween>
          ),
        },
      ]}
    />
  );
}
