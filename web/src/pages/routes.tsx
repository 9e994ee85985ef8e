import type { BreadcrumbGroupProps } from '@cloudscape-design/components/breadcrumb-group';
import type { ReactNode } from 'react';
import type { Route } from '../router';
import { AccountPage } from './billing/account';
import { BillingHomePage } from './billing/home';
import { BillsPage } from './billing/bills';
import { BudgetCreatePage, BudgetEditPage } from './billing/budget-create';
import { BudgetDetailPage } from './billing/budget-detail';
import { BudgetsPage } from './billing/budgets';
import { CostExplorerPage } from './billing/cost-explorer';
import { CostAllocationTagsPage } from './billing/cost-allocation-tags';
import { CreditsPage } from './billing/credits';
import { DataExportsPage } from './billing/data-exports';
import { PaymentPreferencesPage } from './billing/payment-preferences';
import { PaymentsPage } from './billing/payments';
import { BillingPreferencesPage } from './billing/preferences';
import { TaxSettingsPage } from './billing/tax-settings';
import { UploadCostDataPage } from './billing/upload';
import { ConsoleHomePage } from './console-home';
import { AccountSettingsPage } from './iam/account-settings';
import { IamDashboardPage } from './iam/dashboard';
import { GroupCreatePage } from './iam/group-create';
import { GroupDetailPage } from './iam/group-detail';
import { GroupsPage } from './iam/groups';
import { PolicyAttachPage } from './iam/policy-attach';
import { PolicyCreatePage } from './iam/policy-create';
import { PolicyDetailPage } from './iam/policy-detail';
import { PoliciesPage } from './iam/policies';
import { PolicySimulatorPage } from './iam/policy-simulator';
import { RoleCreatePage } from './iam/role-create';
import { RoleDetailPage } from './iam/role-detail';
import { RolesPage } from './iam/roles';
import { SecurityCredentialsPage } from './iam/security-credentials';
import { UserCreatePage } from './iam/user-create';
import { UserDetailPage } from './iam/user-detail';
import { UsersPage } from './iam/users';
import { AccessPage } from './iam/access';
import { WhoCanPage } from './iam/who-can';
import { ImportScenarioPage } from './iam/import-scenario';
import { OrganizationAccountsPage } from './organizations/accounts';
import { AddAccountPage } from './organizations/add-account';
import { OrganizationPoliciesPage } from './organizations/policies';
import { ScpCreatePage } from './organizations/policy-create';

export interface RouteMatch {
  content: ReactNode;
  breadcrumbs: BreadcrumbGroupProps.Item[];
}

const crumb = (text: string, href: string): BreadcrumbGroupProps.Item => ({ text, href });

export function routeTable(route: Route): RouteMatch {
  const q = (name: string) => route.query.get(name) ?? '';
  switch (route.path) {
    case '/':
      return { content: <ConsoleHomePage />, breadcrumbs: [] };
    case '/iam':
      return { content: <IamDashboardPage />, breadcrumbs: [crumb('Dashboard', '#/iam')] };
    case '/iam/users':
      return { content: <UsersPage />, breadcrumbs: [crumb('Users', '#/iam/users')] };
    case '/iam/users/create':
      return {
        content: <UserCreatePage />,
        breadcrumbs: [crumb('Users', '#/iam/users'), crumb('Create user', '#/iam/users/create')],
      };
    case '/iam/user':
      return {
        content: <UserDetailPage userName={q('name')} />,
        breadcrumbs: [
          crumb('Users', '#/iam/users'),
          crumb(q('name'), `#/iam/user?name=${encodeURIComponent(q('name'))}`),
        ],
      };
    case '/iam/groups':
      return { content: <GroupsPage />, breadcrumbs: [crumb('User groups', '#/iam/groups')] };
    case '/iam/groups/create':
      return {
        content: <GroupCreatePage />,
        breadcrumbs: [crumb('User groups', '#/iam/groups'), crumb('Create user group', '#/iam/groups/create')],
      };
    case '/iam/group':
      return {
        content: <GroupDetailPage groupName={q('name')} />,
        breadcrumbs: [
          crumb('User groups', '#/iam/groups'),
          crumb(q('name'), `#/iam/group?name=${encodeURIComponent(q('name'))}`),
        ],
      };
    case '/iam/roles':
      return { content: <RolesPage />, breadcrumbs: [crumb('Roles', '#/iam/roles')] };
    case '/iam/roles/create':
      return {
        content: <RoleCreatePage />,
        breadcrumbs: [crumb('Roles', '#/iam/roles'), crumb('Create role', '#/iam/roles/create')],
      };
    case '/iam/account-settings':
      return { content: <AccountSettingsPage />, breadcrumbs: [crumb('Account settings', '#/iam/account-settings')] };
    case '/iam/role':
      return {
        content: <RoleDetailPage roleName={q('name')} />,
        breadcrumbs: [
          crumb('Roles', '#/iam/roles'),
          crumb(q('name'), `#/iam/role?name=${encodeURIComponent(q('name'))}`),
        ],
      };
    case '/iam/policies':
      return { content: <PoliciesPage />, breadcrumbs: [crumb('Policies', '#/iam/policies')] };
    case '/iam/policies/create':
      return {
        content: <PolicyCreatePage />,
        breadcrumbs: [crumb('Policies', '#/iam/policies'), crumb('Create policy', '#/iam/policies/create')],
      };
    case '/iam/policy':
      return {
        content: <PolicyDetailPage policyArn={q('arn')} />,
        breadcrumbs: [
          crumb('Policies', '#/iam/policies'),
          crumb(q('arn').split('/').pop() ?? '', `#/iam/policy?arn=${encodeURIComponent(q('arn'))}`),
        ],
      };
    case '/iam/policy/attach':
      return {
        content: <PolicyAttachPage policyArn={q('arn')} />,
        breadcrumbs: [crumb('Policies', '#/iam/policies'), crumb('Attach', '#/iam/policies')],
      };
    case '/iam/access':
      return { content: <AccessPage />, breadcrumbs: [crumb('Access', '#/iam/access')] };
    case '/iam/import-scenario':
      return {
        content: <ImportScenarioPage />,
        breadcrumbs: [crumb('Dashboard', '#/iam'), crumb('Import scenario', '#/iam/import-scenario')],
      };
    case '/iam/who-can':
      return { content: <WhoCanPage />, breadcrumbs: [crumb('Who can?', '#/iam/who-can')] };
    case '/iam/simulator':
      return { content: <PolicySimulatorPage />, breadcrumbs: [crumb('Policy simulator', '#/iam/simulator')] };
    case '/security-credentials':
      return {
        content: <SecurityCredentialsPage />,
        breadcrumbs: [crumb('Security credentials', '#/security-credentials')],
      };
    case '/billing':
      return { content: <BillingHomePage />, breadcrumbs: [crumb('Home', '#/billing')] };
    case '/billing/bills':
      return { content: <BillsPage />, breadcrumbs: [crumb('Bills', '#/billing/bills')] };
    case '/billing/budgets':
      return { content: <BudgetsPage />, breadcrumbs: [crumb('Budgets', '#/billing/budgets')] };
    case '/billing/budgets/create':
      return {
        content: <BudgetCreatePage />,
        breadcrumbs: [crumb('Budgets', '#/billing/budgets'), crumb('Create budget', '#/billing/budgets/create')],
      };
    case '/billing/budget':
      return {
        content: <BudgetDetailPage name={q('name')} />,
        breadcrumbs: [
          crumb('Budgets', '#/billing/budgets'),
          crumb(q('name'), `#/billing/budget?name=${encodeURIComponent(q('name'))}`),
        ],
      };
    case '/billing/budgets/edit':
      return {
        content: <BudgetEditPage name={q('name')} />,
        breadcrumbs: [
          crumb('Budgets', '#/billing/budgets'),
          crumb(q('name'), `#/billing/budget?name=${encodeURIComponent(q('name'))}`),
          crumb('Edit', `#/billing/budgets/edit?name=${encodeURIComponent(q('name'))}`),
        ],
      };
    case '/billing/cost-explorer':
      return { content: <CostExplorerPage />, breadcrumbs: [crumb('Cost Explorer', '#/billing/cost-explorer')] };
    case '/billing/preferences':
      return {
        content: <BillingPreferencesPage />,
        breadcrumbs: [crumb('Billing preferences', '#/billing/preferences')],
      };
    case '/billing/payment-preferences':
      return {
        content: <PaymentPreferencesPage />,
        breadcrumbs: [crumb('Payment preferences', '#/billing/payment-preferences')],
      };
    case '/billing/tax-settings':
      return { content: <TaxSettingsPage />, breadcrumbs: [crumb('Tax settings', '#/billing/tax-settings')] };
    case '/billing/data-exports':
      return { content: <DataExportsPage />, breadcrumbs: [crumb('Data exports', '#/billing/data-exports')] };
    case '/billing/credits':
      return { content: <CreditsPage />, breadcrumbs: [crumb('Credits', '#/billing/credits')] };
    case '/billing/payments':
      return { content: <PaymentsPage />, breadcrumbs: [crumb('Payments', '#/billing/payments')] };
    case '/billing/cost-allocation-tags':
      return {
        content: <CostAllocationTagsPage />,
        breadcrumbs: [crumb('Cost allocation tags', '#/billing/cost-allocation-tags')],
      };
    case '/billing/upload':
      return { content: <UploadCostDataPage />, breadcrumbs: [crumb('Upload cost data', '#/billing/upload')] };
    case '/organizations/accounts':
      return {
        content: <OrganizationAccountsPage />,
        breadcrumbs: [crumb('AWS accounts', '#/organizations/accounts')],
      };
    case '/organizations/accounts/add':
      return {
        content: <AddAccountPage />,
        breadcrumbs: [
          crumb('AWS accounts', '#/organizations/accounts'),
          crumb('Add an AWS account', '#/organizations/accounts/add'),
        ],
      };
    case '/organizations/policies':
      return { content: <OrganizationPoliciesPage />, breadcrumbs: [crumb('Policies', '#/organizations/policies')] };
    case '/organizations/policies/create':
      return {
        content: <ScpCreatePage />,
        breadcrumbs: [
          crumb('Policies', '#/organizations/policies'),
          crumb('Create new service control policy', '#/organizations/policies/create'),
        ],
      };
    case '/billing/account':
      return { content: <AccountPage />, breadcrumbs: [crumb('Account', '#/billing/account')] };
    default:
      return { content: <ConsoleHomePage notFound={route.path} />, breadcrumbs: [] };
  }
}
