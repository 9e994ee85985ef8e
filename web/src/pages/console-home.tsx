import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { followHref } from '../router';
import { useIdentity } from '../session';

export function ConsoleHomePage({ notFound }: { notFound?: string }) {
  const identity = useIdentity();
  return (
    <ContentLayout header={<Header variant="h1">Console Home</Header>}>
      <SpaceBetween size="l">
        {notFound !== undefined && <Alert type="warning">There is no console page at {notFound}.</Alert>}
        <Container header={<Header variant="h2">Signed in</Header>}>
          <ColumnLayout columns={3} variant="text-grid">
            <div>
              <Box variant="awsui-key-label">Account ID</Box>
              <div>{identity.accountId}</div>
            </div>
            <div>
              <Box variant="awsui-key-label">Account alias</Box>
              <div>{identity.accountAlias ?? '-'}</div>
            </div>
            <div>
              <Box variant="awsui-key-label">Signed in as</Box>
              <div>{identity.arn}</div>
            </div>
          </ColumnLayout>
        </Container>
        <Container header={<Header variant="h2">Services</Header>}>
          <SpaceBetween size="s">
            <Link href="#/iam/users" onFollow={followHref}>
              IAM — Identity and Access Management
            </Link>
            <Link href="#/billing" onFollow={followHref}>
              Billing and Cost Management
            </Link>
            <Link href="#/organizations/accounts" onFollow={followHref}>
              AWS Organizations
            </Link>
          </SpaceBetween>
        </Container>
      </SpaceBetween>
    </ContentLayout>
  );
}
