import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { ReactNode } from 'react';

/** The sign-in pages' frame: one narrow card in the middle of the page, as AWS's sign-in pages are. */
export function AuthFrame({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <main style={{ maxWidth: 460, margin: '48px auto', padding: '0 16px' }}>
      <Box variant="h1" fontSize="display-l" padding={{ bottom: 'l' }} textAlign="center">
        Bursar
      </Box>
      <Container
        header={
          <Header variant="h1" description={description}>
            {title}
          </Header>
        }
      >
        {children}
      </Container>
    </main>
  );
}
