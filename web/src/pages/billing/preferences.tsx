import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import { billingApi, type BillingPreferences } from '../../client/operations';
import { useNotify } from '../../components/notifications';
import { PageGate } from '../../components/permission-gate';
import { ErrorAlert, Loading } from '../../components/states';
import { useAsync } from '../../components/use-async';
import { useSubmit } from '../../components/use-submit';

function PreferencesForm() {
  const notify = useNotify();
  const loaded = useAsync(billingApi.getPreferences, []);
  const [prefs, setPrefs] = useState<BillingPreferences | null>(null);
  const { busy, submit } = useSubmit();
  useEffect(() => {
    if (loaded.data) setPrefs(loaded.data);
  }, [loaded.data]);
  if (loaded.loading) return <Loading />;
  if (loaded.error) return <ErrorAlert error={loaded.error} />;
  if (prefs === null) return <Loading />;
  const set = (change: Partial<BillingPreferences>) => setPrefs({ ...prefs, ...change });

  // Saving is always offered; the server decides, and a refusal is shown as AWS shows it.
  const save = () =>
    submit(async () => {
      setPrefs(await billingApi.updatePreferences(prefs));
      notify.success('Your preferences have been saved.');
    });

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Invoice delivery preferences</Header>}>
        <Checkbox
          checked={prefs.InvoiceDeliveryByEmail}
          onChange={(e) => set({ InvoiceDeliveryByEmail: e.detail.checked })}
        >
          Receive PDF Invoice By Email
        </Checkbox>
      </Container>
      <Container header={<Header variant="h2">Alert preferences</Header>}>
        <SpaceBetween size="m">
          <Checkbox
            checked={prefs.FreeTierUsageAlerts}
            onChange={(e) => set({ FreeTierUsageAlerts: e.detail.checked })}
            description="Turn on this feature to receive email alerts when your AWS service usage is approaching, or has exceeded, the AWS Free Tier usage limits."
          >
            Receive Free Tier Usage Alerts
          </Checkbox>
          {prefs.FreeTierUsageAlerts && (
            <FormField label="Email Address" description="Leave empty to use the account's email address.">
              <Input
                value={prefs.FreeTierAlertEmail ?? ''}
                onChange={(e) => set({ FreeTierAlertEmail: e.detail.value === '' ? null : e.detail.value })}
                type="email"
                ariaLabel="Free Tier alert email address"
              />
            </FormField>
          )}
          <Checkbox
            checked={prefs.BillingAlerts}
            onChange={(e) => set({ BillingAlerts: e.detail.checked })}
            description="Turn on this feature to monitor your AWS usage charges and recurring fees automatically. Once turned on, billing alerts cannot be turned off."
          >
            Receive Billing Alerts
          </Checkbox>
        </SpaceBetween>
      </Container>
      <div>
        <Button variant="primary" loading={busy} onClick={() => void save()}>
          Save preferences
        </Button>
      </div>
    </SpaceBetween>
  );
}

export function BillingPreferencesPage() {
  return (
    <SpaceBetween size="l">
      <Header variant="h1">Billing preferences</Header>
      <PageGate page="billing-preferences">
        <PreferencesForm />
      </PageGate>
    </SpaceBetween>
  );
}
