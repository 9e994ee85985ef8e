import Alert from '@cloudscape-design/components/alert';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useNotify } from '../../components/notifications';
import { useIdentity } from '../../session';
import { ChangePasswordForm } from '../auth/change-password';

export function SecurityCredentialsPage() {
  const identity = useIdentity();
  const notify = useNotify();
  return (
    <SpaceBetween size="l">
      <Header variant="h1">My security credentials</Header>
      {identity.kind === 'user' ? (
        <Container header={<Header variant="h2">Console password</Header>}>
          <ChangePasswordForm onDone={() => notify.success('Your password has been changed.')} />
        </Container>
      ) : (
        <Alert type="info">The root user's password is changed from the account's sign-in settings.</Alert>
      )}
    </SpaceBetween>
  );
}
