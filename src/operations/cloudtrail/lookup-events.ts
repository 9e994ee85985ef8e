/** CloudTrail's LookupEvents over Bursar's audit trail (`cloudtrail:LookupEvents`), scoped to the caller's account. */
import { InvalidNextToken, type AuditServices } from '../../audit/trail.js';
import { invalidLookupAttributes, invalidNextToken, invalidTimeRange } from '../../audit/errors.js';
import type { Operation } from '../../core/operation.js';

interface LookupEventsInput {
  LookupAttributes?: Array<{ AttributeKey: string; AttributeValue: string }>;
  StartTime?: Date;
  EndTime?: Date;
  MaxResults?: number;
  NextToken?: string;
}

export const lookupEvents: Operation<AuditServices, LookupEventsInput> = {
  service: 'cloudtrail',
  name: 'LookupEvents',
  access: () => [{ action: 'cloudtrail:LookupEvents', resource: '*' }],
  mutates: false,
  handler: async (input, { caller, services }) => {
    const attributes = input.LookupAttributes ?? [];
    if (attributes.length > 1) {
      throw invalidLookupAttributes();
    }
    if (input.StartTime !== undefined && input.EndTime !== undefined && input.StartTime > input.EndTime) {
      throw invalidTimeRange();
    }
    const attribute = attributes[0];
    try {
      const page = await services.audit.lookup(caller.accountId, {
        attribute:
          attribute === undefined ? undefined : { key: attribute.AttributeKey, value: attribute.AttributeValue },
        startTime: input.StartTime,
        endTime: input.EndTime,
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
      });
      return {
        Events: page.events.map(({ event, username, accessKeyId }) => ({
          EventId: event.eventID,
          EventName: event.eventName,
          ReadOnly: String(event.readOnly),
          ...(accessKeyId === null ? {} : { AccessKeyId: accessKeyId }),
          EventTime: new Date(event.eventTime),
          EventSource: event.eventSource,
          ...(username === null ? {} : { Username: username }),
          Resources: [],
          CloudTrailEvent: JSON.stringify(event),
        })),
        ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
      };
    } catch (error) {
      if (error instanceof InvalidNextToken) throw invalidNextToken();
      throw error;
    }
  },
};
