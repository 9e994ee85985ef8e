import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AccountClient,
  GetAlternateContactCommand,
  GetContactInformationCommand,
  PutContactInformationCommand,
} from '@aws-sdk/client-account';
import type { BursarServer } from '../../src/server/create-server.js';
import { clientConfig, startServer } from './harness.js';

describe('the Account API through @aws-sdk/client-account (REST-JSON)', () => {
  let server: BursarServer;
  let account: AccountClient;
  before(async () => {
    server = await startServer();
    account = new AccountClient(clientConfig(server));
  });
  after(async () => {
    await server.close();
  });

  it('puts and gets the contact information', async () => {
    const contact = {
      FullName: 'Ana Root',
      AddressLine1: '1 Main Street',
      City: 'Seattle',
      PostalCode: '98101',
      CountryCode: 'US',
      PhoneNumber: '+12065550100',
      StateOrRegion: 'WA',
    };
    await account.send(new PutContactInformationCommand({ ContactInformation: contact }));
    const { ContactInformation } = await account.send(new GetContactInformationCommand({}));
    assert.equal(ContactInformation!.FullName, 'Ana Root');
    assert.equal(ContactInformation!.City, 'Seattle');
  });

  it('answers REST-JSON errors the SDK recognises', async () => {
    await assert.rejects(
      account.send(new GetAlternateContactCommand({ AlternateContactType: 'BILLING' })),
      (error: Error & { $metadata: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'ResourceNotFoundException');
        assert.equal(error.$metadata.httpStatusCode, 404);
        return true;
      },
    );
  });
});
