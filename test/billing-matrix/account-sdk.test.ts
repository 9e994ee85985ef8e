/**
 * @aws-sdk/client-account against a Bursar server started here (the Edge's compat harness): restJson1
 * routing, SigV4, the Account model's validation and error shapes, invoke() and the engine, end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AccountClient,
  DeleteAlternateContactCommand,
  GetAlternateContactCommand,
  GetContactInformationCommand,
  PutAlternateContactCommand,
  PutContactInformationCommand,
} from '@aws-sdk/client-account';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { BursarServer } from '../../src/server/create-server.js';
import { ACCOUNT_ID, clientConfig, startServer, rejectsWith } from '../compat/harness.js';

describe('Account API through @aws-sdk/client-account', () => {
  let server: BursarServer;
  let account: AccountClient;

  before(async () => {
    server = await startServer();
    account = new AccountClient(clientConfig(server));
  });
  after(async () => {
    await server.close();
  });

  it('puts and gets the primary contact information', async () => {
    const ContactInformation = {
      AddressLine1: '410 Terry Ave N',
      City: 'Seattle',
      CountryCode: 'US',
      FullName: 'Compat Root',
      PhoneNumber: '+12065550100',
      PostalCode: '98109',
      StateOrRegion: 'WA',
      CompanyName: 'Example Corp',
    };
    await account.send(new PutContactInformationCommand({ ContactInformation }));
    const got = await account.send(new GetContactInformationCommand({}));
    assert.deepEqual(got.ContactInformation, ContactInformation);
  });

  it('alternate contacts round-trip; a missing one is ResourceNotFoundException with AWS wording', async () => {
    await rejectsWith(
      account.send(new GetAlternateContactCommand({ AlternateContactType: 'OPERATIONS' })),
      'ResourceNotFoundException',
      404,
      /^No contact of the inputted alternate contact type found\.$/,
    );
    const contact = {
      AlternateContactType: 'OPERATIONS' as const,
      Name: 'Olu Ops',
      Title: 'SRE lead',
      EmailAddress: 'ops@example.com',
      PhoneNumber: '+1 206 555 0199',
    };
    await account.send(new PutAlternateContactCommand(contact));
    const { AlternateContact } = await account.send(
      new GetAlternateContactCommand({ AlternateContactType: 'OPERATIONS' }),
    );
    assert.deepEqual(AlternateContact, contact);
    await account.send(new DeleteAlternateContactCommand({ AlternateContactType: 'OPERATIONS' }));
    await rejectsWith(
      account.send(new DeleteAlternateContactCommand({ AlternateContactType: 'OPERATIONS' })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('answers model violations with ValidationException', async () => {
    await rejectsWith(
      account.send(new GetAlternateContactCommand({ AlternateContactType: 'LEGAL' as 'BILLING' })),
      'ValidationException',
      400,
    );
    await rejectsWith(
      account.send(new GetAlternateContactCommand({ AlternateContactType: 'BILLING', AccountId: '12345' })),
      'ValidationException',
      400,
    );
  });

  it("a management account manages a member's alternate contacts with AccountId", async () => {
    const organizations = new OrganizationsClient(clientConfig(server));
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const { CreateAccountStatus } = await organizations.send(
      new CreateAccountCommand({ Email: 'member@example.com', AccountName: 'Member' }),
    );
    const member = CreateAccountStatus!.AccountId!;
    const contact = {
      AlternateContactType: 'SECURITY' as const,
      Name: 'Sam Sec',
      Title: 'CISO',
      EmailAddress: 'security@example.com',
      PhoneNumber: '+1 206 555 0142',
    };
    await account.send(new PutAlternateContactCommand({ AccountId: member, ...contact }));
    const { AlternateContact } = await account.send(
      new GetAlternateContactCommand({ AccountId: member, AlternateContactType: 'SECURITY' }),
    );
    assert.deepEqual(AlternateContact, contact);
    // The management account's own contacts are untouched, and it may not name itself.
    await rejectsWith(
      account.send(new GetAlternateContactCommand({ AlternateContactType: 'SECURITY' })),
      'ResourceNotFoundException',
      404,
    );
    await rejectsWith(
      account.send(new GetAlternateContactCommand({ AccountId: ACCOUNT_ID, AlternateContactType: 'SECURITY' })),
      'ValidationException',
      400,
    );
  });

  it('refuses an IAM user without a policy with AccessDeniedException naming the action and ARN', async () => {
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }));
    const asNobody = new AccountClient(
      clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }),
    );
    await rejectsWith(
      asNobody.send(new GetContactInformationCommand({})),
      'AccessDeniedException',
      403,
      new RegExp(
        `^User: arn:aws:iam::${ACCOUNT_ID}:user/nobody is not authorized to perform: account:GetContactInformation ` +
          `on resource: arn:aws:account::${ACCOUNT_ID}:account because no identity-based policy allows the ` +
          'account:GetContactInformation action$',
      ),
    );
  });
});
