import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../core/errors.js';
import { decodeJsonInput, encodeJsonError, encodeJsonOutput } from '../models/json/codec.js';
import { serviceModels } from '../models/services/index.js';
import { decodeQueryInput, parseForm } from './query/decode.js';
import { encodeQueryError, encodeQueryOutput } from './query/encode.js';
import { validateInput } from '../models/validate.js';

const iam = serviceModels.iam!;
const sts = serviceModels.sts!;
const organizations = serviceModels.organizations!;

function validationMessage(run: () => void): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'ValidationError');
    return error.message;
  }
  assert.fail('expected a ValidationError');
}

describe('Query input decoding from the IAM model', () => {
  it('decodes members, lists of structures (Tags.member.N.Key) and integers', () => {
    const form = parseForm(
      'Action=CreateUser&Version=2010-05-08&UserName=Alice&Path=%2Ffinance%2F' +
        '&Tags.member.1.Key=team&Tags.member.1.Value=billing&Tags.member.2.Key=cost-center&Tags.member.2.Value=42',
    );
    assert.deepEqual(decodeQueryInput(iam, 'CreateUser', form), {
      UserName: 'Alice',
      Path: '/finance/',
      Tags: [
        { Key: 'team', Value: 'billing' },
        { Key: 'cost-center', Value: '42' },
      ],
    });
    assert.deepEqual(decodeQueryInput(iam, 'ListUsers', parseForm('MaxItems=2&Marker=abc')), {
      MaxItems: 2,
      Marker: 'abc',
    });
  });

  it('decodes booleans, lists of strings and lists nested in lists', () => {
    const form = parseForm(
      'PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2FBob&ActionNames.member.1=aws-portal%3AViewBilling' +
        '&ActionNames.member.2=aws-portal%3AModifyBilling&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp' +
        '&ContextEntries.member.1.ContextKeyType=ip&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1',
    );
    assert.deepEqual(decodeQueryInput(iam, 'SimulatePrincipalPolicy', form), {
      PolicySourceArn: 'arn:aws:iam::111122223333:user/Bob',
      ActionNames: ['aws-portal:ViewBilling', 'aws-portal:ModifyBilling'],
      ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.0.0.1'] }],
    });
    assert.deepEqual(decodeQueryInput(iam, 'UpdateLoginProfile', parseForm('UserName=A&PasswordResetRequired=true')), {
      UserName: 'A',
      PasswordResetRequired: true,
    });
  });

  it('decodes an empty list sent as the bare key', () => {
    assert.deepEqual(decodeQueryInput(sts, 'AssumeRole', parseForm('RoleArn=a&RoleSessionName=s&PolicyArns=')), {
      RoleArn: 'a',
      RoleSessionName: 's',
      PolicyArns: [],
    });
  });

  it('refuses a malformed integer', () => {
    assert.throws(() => decodeQueryInput(iam, 'ListUsers', parseForm('MaxItems=ten')), {
      code: 'MalformedQueryString',
    });
  });
});

describe('validation from the model, in AWS wording', () => {
  it('reports a pattern failure at the lower-camel member path', () => {
    assert.equal(
      validationMessage(() => validateInput(iam, 'CreateUser', { UserName: 'bad name' })),
      "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
    );
  });

  it('reports missing required members and several errors together', () => {
    assert.equal(
      validationMessage(() => validateInput(iam, 'ListUsers', { MaxItems: 0, Marker: '' })),
      "2 validation errors detected: Value '' at 'marker' failed to satisfy constraint: Member must have length " +
        "greater than or equal to 1; Value '0' at 'maxItems' failed to satisfy constraint: Member must have value " +
        'greater than or equal to 1',
    );
    assert.equal(
      validationMessage(() => validateInput(iam, 'GetUserPolicy', { UserName: 'Alice' })),
      "1 validation error detected: Value null at 'policyName' failed to satisfy constraint: Member must not be null",
    );
  });

  it('accepts a valid input', () => {
    validateInput(iam, 'CreateUser', { UserName: 'FinanceUser', Tags: [{ Key: 'a', Value: 'b' }] });
  });
});

describe('Query output encoding', () => {
  it('wraps the result in AWS envelope with lists as <member> and ISO timestamps', () => {
    const xml = encodeQueryOutput(
      iam,
      'ListUsers',
      {
        Users: [
          {
            Path: '/',
            UserName: 'Alice',
            UserId: 'AIDAEXAMPLE',
            Arn: 'arn:aws:iam::111122223333:user/Alice',
            CreateDate: new Date('2026-11-27T10:00:00.123Z'),
          },
        ],
        IsTruncated: false,
      },
      'req-1',
    );
    assert.equal(
      xml,
      '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member>' +
        '<Path>/</Path><UserName>Alice</UserName><UserId>AIDAEXAMPLE</UserId>' +
        '<Arn>arn:aws:iam::111122223333:user/Alice</Arn><CreateDate>2026-11-27T10:00:00Z</CreateDate>' +
        '</member></Users><IsTruncated>false</IsTruncated></ListUsersResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ListUsersResponse>',
    );
  });

  it('URL-encodes IAM policy documents as AWS does and escapes XML', () => {
    const xml = encodeQueryOutput(
      iam,
      'GetUserPolicy',
      { UserName: 'A&B', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' },
      'r',
    );
    assert.match(xml, /<UserName>A&amp;B<\/UserName>/);
    assert.match(
      xml,
      /<PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D<\/PolicyDocument>/,
    );
  });

  it('writes only ResponseMetadata for operations without output', () => {
    assert.equal(
      encodeQueryOutput(iam, 'DeleteUser', {}, 'r'),
      '<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r</RequestId>' +
        '</ResponseMetadata></DeleteUserResponse>',
    );
  });

  it('writes the ErrorResponse envelope', () => {
    assert.equal(
      encodeQueryError(iam, new ServiceError('NoSuchEntity', 'The user with name Bob cannot be found.', 404), 'r'),
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>' +
        '<Code>NoSuchEntity</Code><Message>The user with name Bob cannot be found.</Message></Error>' +
        '<RequestId>r</RequestId></ErrorResponse>',
    );
  });
});

describe('JSON codec', () => {
  it('turns timestamps into epoch seconds on the way out and Dates on the way in', () => {
    const body = encodeJsonOutput(organizations, 'DescribeAccount', {
      Account: { Id: '111122223333', JoinedTimestamp: new Date('2026-01-01T00:00:00Z') },
    });
    assert.deepEqual(JSON.parse(body), { Account: { Id: '111122223333', JoinedTimestamp: 1767225600 } });
    const input = decodeJsonInput(serviceModels.cloudtrail!, 'LookupEvents', { StartTime: 1767225600 });
    assert.deepEqual(input, { StartTime: new Date('2026-01-01T00:00:00Z') });
  });

  it("names errors by the service's own shapes", () => {
    assert.deepEqual(encodeJsonError(organizations, new ServiceError('AccessDenied', 'no', 403)), {
      type: 'AccessDeniedException',
      body: '{"__type":"AccessDeniedException","message":"no"}',
    });
    assert.equal(
      encodeJsonError(organizations, new ServiceError('ValidationError', 'bad')).type,
      'ValidationException',
    );
  });

  it('answers an IAM refusal with AccessDeniedException even where the model does not list it', () => {
    assert.equal(serviceModels.ce!.shapes.AccessDeniedException, undefined);
    assert.equal(
      encodeJsonError(serviceModels.ce, new ServiceError('AccessDenied', 'no', 403)).type,
      'AccessDeniedException',
    );
  });
});

describe('hostile input to the codecs', () => {
  const budgets = serviceModels.budgets!;

  it('keeps a map key named __proto__ as data, in JSON and in Query maps', () => {
    const input = decodeJsonInput(
      budgets,
      'CreateBudget',
      JSON.parse('{"Budget":{"CostFilters":{"__proto__":["x"],"constructor":["y"]}}}'),
    );
    const filters = (input.Budget as { CostFilters: Record<string, unknown> }).CostFilters;
    assert.equal(Object.getPrototypeOf(filters), Object.prototype);
    assert.deepEqual(Object.keys(filters), ['__proto__', 'constructor']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(filters, '__proto__')?.value, ['x']);
  });

  it('refuses JSON nested deeper than 64 levels before walking it (the console passes parsed JSON here too)', () => {
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) as unknown;
    assert.throws(() => decodeJsonInput(budgets, 'CreateBudget', { Budget: { BudgetName: deep } }), {
      code: 'SerializationException',
      message: 'The request nests arrays and objects deeper than 64 levels.',
    });
    const legal = JSON.parse('{"a":'.repeat(63) + '1' + '}'.repeat(63)) as unknown;
    assert.doesNotThrow(() => decodeJsonInput(budgets, 'CreateBudget', legal as Record<string, unknown>));
  });

  it('refuses a form of more than 10,000 parameters before decoding any', () => {
    const form = Array.from({ length: 10_001 }, (_, i) => `p${i}=x`).join('&');
    assert.throws(() => parseForm(form), { code: 'MalformedQueryString' });
    assert.equal(parseForm(form.split('&').slice(0, 10_000).join('&')).size, 10_000);
  });

  it('decodes a list of 3,333 structures (each member used to rescan every key: quadratic)', () => {
    const parts = ['PolicySourceArn=arn:aws:iam::111122223333:user/u', 'ActionNames.member.1=iam:ListUsers'];
    for (let i = 1; i <= 3333; i += 1) {
      parts.push(
        `ContextEntries.member.${i}.ContextKeyName=aws:k${i}`,
        `ContextEntries.member.${i}.ContextKeyType=string`,
      );
    }
    const input = decodeQueryInput(iam, 'SimulatePrincipalPolicy', parseForm(parts.join('&')));
    assert.equal((input.ContextEntries as unknown[]).length, 3333);
    assert.deepEqual((input.ContextEntries as unknown[])[3332], {
      ContextKeyName: 'aws:k3333',
      ContextKeyType: 'string',
    });
  });
});

describe('error envelopes', () => {
  it('cut a message past 4,096 characters, whoever wrote it', () => {
    const error = new ServiceError('NoSuchEntity', `The user with name ${'a'.repeat(100_000)} cannot be found.`, 404);
    const xml = encodeQueryError(iam, error, 'req-1');
    assert.ok(xml.length < 5000, `${xml.length} characters`);
    assert.match(xml, /<Message>The user with name a+\.\.\.<\/Message>/);
    const { body } = encodeJsonError(organizations, error);
    assert.equal((JSON.parse(body) as { message: string }).message.length, 4096 + 3);
  });
});

describe('JSON timestamps from hostile input', () => {
  it('leave a value that is neither number nor string to validation instead of calling its toString', () => {
    const cloudtrail = serviceModels.cloudtrail!;
    const input = decodeJsonInput(cloudtrail, 'LookupEvents', JSON.parse('{"StartTime":{"toString":1}}'));
    assert.deepEqual(input.StartTime, { toString: 1 });
    assert.match(
      validationMessage(() => validateInput(cloudtrail, 'LookupEvents', input)),
      /Value '\{toString: 1\}' at 'startTime' failed to satisfy constraint: Member must be a timestamp/,
    );
  });
});
