import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { consoleApi } from '../client/api';
import { routeTable } from '../pages/routes';
import { followHref, navigate, type Route } from '../router';
import { useIdentity } from '../session';
import { useEffect, useState } from 'react';
import { Notifications, NotificationsProvider, useNotify } from './notifications';

const IAM_NAV: SideNavigationProps['items'] = [
  { type: 'link', text: 'Dashboard', href: '#/iam' },
  {
    type: 'section',
    text: 'Access management',
    items: [
      { type: 'link', text: 'User groups', href: '#/iam/groups' },
      { type: 'link', text: 'Users', href: '#/iam/users' },
      { type: 'link', text: 'Roles', href: '#/iam/roles' },
      { type: 'link', text: 'Policies', href: '#/iam/policies' },
      { type: 'link', text: 'Account settings', href: '#/iam/account-settings' },
    ],
  },
  {
    type: 'section',
    text: 'Access reports',
    items: [
      { type: 'link', text: 'Policy simulator', href: '#/iam/simulator' },
      { type: 'link', text: 'Who can?', href: '#/iam/who-can' },
      { type: 'link', text: 'Access', href: '#/iam/access' },
    ],
  },
];

const BILLING_NAV: SideNavigationProps['items'] = [
  { type: 'link', text: 'Home', href: '#/billing' },
  {
    type: 'section',
    text: 'Billing and Payments',
    items: [
      { type: 'link', text: 'Bills', href: '#/billing/bills' },
      { type: 'link', text: 'Payments', href: '#/billing/payments' },
      { type: 'link', text: 'Credits', href: '#/billing/credits' },
    ],
  },
  {
    type: 'section',
    text: 'Cost and Usage Analysis',
    items: [
      { type: 'link', text: 'Cost Explorer', href: '#/billing/cost-explorer' },
      { type: 'link', text: 'Cost allocation tags', href: '#/billing/cost-allocation-tags' },
      { type: 'link', text: 'Data exports', href: '#/billing/data-exports' },
      { type: 'link', text: 'Upload cost data', href: '#/billing/upload' },
    ],
  },
  {
    type: 'section',
    text: 'Budgets and Planning',
    items: [{ type: 'link', text: 'Budgets', href: '#/billing/budgets' }],
  },
  {
    type: 'section',
    text: 'Preferences and Settings',
    items: [
      { type: 'link', text: 'Billing preferences', href: '#/billing/preferences' },
      { type: 'link', text: 'Payment preferences', href: '#/billing/payment-preferences' },
      { type: 'link', text: 'Tax settings', href: '#/billing/tax-settings' },
      { type: 'link', text: 'Account', href: '#/billing/account' },
    ],
  },
];

const ORGANIZATIONS_NAV: SideNavigationProps['items'] = [
  { type: 'link', text: 'AWS accounts', href: '#/organizations/accounts' },
  { type: 'link', text: 'Policies', href: '#/organizations/policies' },
];

interface Area {
  text: string;
  href: string;
  header: string;
  items: SideNavigationProps['items'];
}

/**
 * The console area a route belongs to: its name and home for the breadcrumbs and side navigation. Console
 * Home (and a path no page answers) belongs to none: like AWS's, it has no service menu and no breadcrumb.
 */
function areaOf(path: string): Area | undefined {
  if (path.startsWith('/billing')) {
    const text = 'Billing and Cost Management';
    return { text, href: '#/billing', header: text, items: BILLING_NAV };
  }
  if (path.startsWith('/organizations')) {
    const text = 'AWS Organizations';
    return { text, href: '#/organizations/accounts', header: text, items: ORGANIZATIONS_NAV };
  }
  if (path.startsWith('/iam') || path === '/security-credentials') {
    return { text: 'IAM', href: '#/iam/users', header: 'Identity and Access Management (IAM)', items: IAM_NAV };
  }
  return undefined;
}

export function Shell({ route }: { route: Route }) {
  const identity = useIdentity();
  // Controlled, so the navigation stays as the user left it across pages (open by default on a desktop).
  const [navigationOpen, setNavigationOpen] = useState(() => window.innerWidth >= 688);
  const area = areaOf(route.path);
  const match = routeTable(route);
  const signOut = async () => {
    await consoleApi.signOut();
    navigate('/signin');
  };

  return (
    <NotificationsProvider>
      {(items) => (
        <>
          <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
            <TopNavigation
              identity={{ href: '#/', title: 'Bursar', onFollow: followHref }}
              utilities={[
                { type: 'button', text: 'IAM', href: '#/iam/users', onFollow: followHref },
                { type: 'button', text: 'Billing and Cost Management', href: '#/billing', onFollow: followHref },
                { type: 'button', text: 'AWS Organizations', href: '#/organizations/accounts', onFollow: followHref },
                {
                  type: 'menu-dropdown',
                  text: identity.displayName,
                  description: identity.arn,
                  iconName: 'user-profile',
                  ariaLabel: `Account menu for ${identity.displayName}`,
                  items: [
                    { id: 'billing-dashboard', text: 'Billing Dashboard', href: '#/billing' },
                    { id: 'account', text: 'Account', href: '#/billing/account' },
                    { id: 'security-credentials', text: 'Security credentials', href: '#/security-credentials' },
                    { id: 'sign-out', text: 'Sign out' },
                  ],
                  onItemFollow: followHref,
                  onItemClick: (event) => {
                    if (event.detail.id === 'sign-out') void signOut();
                  },
                },
              ]}
            />
          </div>
          <AppLayout
            headerSelector="#top-nav"
            toolsHide
            navigationOpen={navigationOpen}
            navigationHide={area === undefined}
            onNavigationChange={(e) => setNavigationOpen(e.detail.open)}
            ariaLabels={{
              navigation: 'Side navigation',
              navigationClose: 'Close side navigation',
              navigationToggle: 'Open side navigation',
            }}
            notifications={<Notifications items={items} />}
            breadcrumbs={
              area !== undefined && (
                <BreadcrumbGroup
                  items={[{ text: area.text, href: area.href }, ...match.breadcrumbs]}
                  onFollow={followHref}
                  ariaLabel="Breadcrumbs"
                />
              )
            }
            navigation={
              area !== undefined && (
                <SideNavigation
                  header={{ text: area.header, href: area.href }}
                  activeHref={`#${route.path}`}
                  items={area.items}
                  onFollow={followHref}
                />
              )
            }
            content={
              <>
                <RouteWatcher path={route.path} />
                {match.content}
              </>
            }
          />
        </>
      )}
    </NotificationsProvider>
  );
}

function RouteWatcher({ path }: { path: string }) {
  const { routeChanged } = useNotify();
  useEffect(() => routeChanged(), [path, routeChanged]);
  return null;
}
