/**
 * AWS's published API models for the services Bursar speaks (see NOTICE), loaded once. Codecs and
 * validation are derived from them rather than written per operation.
 */
import { bursarServiceModel } from './bursar.js';
import { billingServiceModel } from './billing.js';
import { awsPortalServiceModel } from './aws-portal.js';
import type { ServiceModel } from '../model.js';
import account from './account.json' with { type: 'json' };
import bcmDataExports from './bcm-data-exports.json' with { type: 'json' };
import budgets from './budgets.json' with { type: 'json' };
import ce from './ce.json' with { type: 'json' };
import cloudtrail from './cloudtrail.json' with { type: 'json' };
import cur from './cur.json' with { type: 'json' };
import iam from './iam.json' with { type: 'json' };
import invoicing from './invoicing.json' with { type: 'json' };
import organizations from './organizations.json' with { type: 'json' };
import sts from './sts.json' with { type: 'json' };
import taxsettings from './taxsettings.json' with { type: 'json' };

export const VENDORED_MODELS = [
  { service: 'iam', version: '2010-05-08' },
  { service: 'sts', version: '2011-06-15' },
  { service: 'organizations', version: '2016-11-28' },
  { service: 'ce', version: '2017-10-25' },
  { service: 'budgets', version: '2016-10-20', source: 'botocore' },
  { service: 'account', version: '2021-02-01' },
  { service: 'cloudtrail', version: '2013-11-01' },
  { service: 'taxsettings', version: '2018-05-10', source: 'botocore' },
  { service: 'invoicing', version: '2024-12-01', source: 'botocore' },
  { service: 'cur', version: '2017-01-06', source: 'botocore' },
  { service: 'bcm-data-exports', version: '2023-11-26', source: 'botocore' },
] as const;

/**
 * Models by IAM service prefix, which is also the SigV4 signing name for every one of these (Tax Settings:
 * `tax`, though botocore files its model as `taxsettings`).
 */
export const serviceModels: Record<string, ServiceModel> = {
  iam: iam as unknown as ServiceModel,
  sts: sts as unknown as ServiceModel,
  organizations: organizations as unknown as ServiceModel,
  ce: ce as unknown as ServiceModel,
  budgets: budgets as unknown as ServiceModel,
  account: account as unknown as ServiceModel,
  cloudtrail: cloudtrail as unknown as ServiceModel,
  tax: taxsettings as unknown as ServiceModel,
  invoicing: invoicing as unknown as ServiceModel,
  cur: cur as unknown as ServiceModel,
  'bcm-data-exports': bcmDataExports as unknown as ServiceModel,
  bursar: bursarServiceModel,
  billing: billingServiceModel,
  'aws-portal': awsPortalServiceModel,
};
