import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { organizationsApi, type Finding } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { PolicyJsonEditor } from '../../components/policy-json-editor';
import { useSubmit } from '../../components/use-submit';
import { navigate } from '../../router';
import { SCP } from './policies';

/** Where AWS's editor starts a new SCP: one statement to fill in. */
const STARTER = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Statement1', Effect: 'Deny', Action: ['s3:DeleteBucket'], Resource: ['*'] }],
  },
  null,
  4,
);

export function ScpCreatePage() {
  const notify = useNotify();
  const { busy, submit } = useSubmit();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [content, setContent] = useState(STARTER);
  const [findings, setFindings] = useState<Finding[] | undefined>(undefined);
  const errors = (findings ?? []).filter((f) => f.FindingType === 'ERROR').length;

  const create = () =>
    submit(async () => {
      await organizationsApi.createPolicy(name.trim(), description.trim(), content, SCP);
      notify.success(`Policy ${name.trim()} was created.`, undefined, true);
      navigate('/organizations/policies');
    });

  return (
    <Form
      header={
        <Header variant="h1" description="A service control policy limits what the accounts it is attached to can do.">
          Create new service control policy
        </Header>
      }
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <Button variant="link" onClick={() => navigate('/organizations/policies')}>
            Cancel
          </Button>
          <Button
            variant="primary"
            loading={busy}
            disabled={name.trim() === '' || errors > 0 || findings === undefined}
            onClick={() => void create()}
          >
            Create policy
          </Button>
        </SpaceBetween>
      }
    >
      <SpaceBetween size="l">
        <Container header={<Header variant="h2">Details</Header>}>
          <SpaceBetween size="l">
            <FormField label="Policy name" constraintText="1 to 128 characters.">
              <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Policy name" />
            </FormField>
            <FormField label="Policy description - optional">
              <Textarea
                value={description}
                onChange={(e) => setDescription(e.detail.value)}
                ariaLabel="Policy description"
                rows={2}
              />
            </FormField>
          </SpaceBetween>
        </Container>
        <Container header={<Header variant="h2">Policy</Header>}>
          <PolicyJsonEditor value={content} onChange={setContent} kind="scp" onFindings={setFindings} />
        </Container>
      </SpaceBetween>
    </Form>
  );
}
