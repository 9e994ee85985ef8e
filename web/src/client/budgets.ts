/** Typed wrappers over AWS Budgets for the Budgets pages; names and shapes are AWS's. */
import type * as budgets from '../../../src/contracts/wire/budgets';
import type { Json } from '../../../src/contracts/json';
import { consoleApi } from './api';

export type TimeUnit = budgets.TimeUnit;
export type NotificationType = budgets.NotificationType;
export type ThresholdType = budgets.ThresholdType;
export type Spend = budgets.Spend;
/** Timestamps are ISO strings on the way out; the server accepts them back as they came. */
export type Budget = Json<budgets.Budget>;
export type Notification = budgets.Notification;
export type Subscriber = budgets.Subscriber;
export type NotificationWithSubscribers = budgets.NotificationWithSubscribers;
export type PerformanceEntry = Json<budgets.BudgetedAndActualAmounts>;

/** AWS's open end of a budget that does not expire. */
export const NO_END = '2087-06-15T00:00:00.000Z';

const call = <T>(operation: string, input: object) => consoleApi.call<T>('budgets', operation, input);
/** A notification as its key: the fields AWS identifies it by (not its state). */
const key = ({ NotificationType, ComparisonOperator, Threshold, ThresholdType }: Notification): Notification => ({
  NotificationType,
  ComparisonOperator,
  Threshold,
  ThresholdType: ThresholdType ?? 'PERCENTAGE',
});
const same = (a: NotificationWithSubscribers, b: NotificationWithSubscribers) =>
  JSON.stringify([key(a.Notification), a.Subscribers]) === JSON.stringify([key(b.Notification), b.Subscribers]);

export const budgetsApi = {
  describeBudgets: async (AccountId: string) =>
    (await call<{ Budgets?: Budget[] }>('DescribeBudgets', { AccountId })).Budgets ?? [],
  describeBudget: async (AccountId: string, BudgetName: string) =>
    (await call<{ Budget: Budget }>('DescribeBudget', { AccountId, BudgetName })).Budget,
  createBudget: (AccountId: string, Budget: Budget, NotificationsWithSubscribers: NotificationWithSubscribers[]) =>
    call('CreateBudget', { AccountId, Budget, NotificationsWithSubscribers }),
  deleteBudget: (AccountId: string, BudgetName: string) => call('DeleteBudget', { AccountId, BudgetName }),
  /** A budget's alerts with their state and subscribers. */
  describeAlerts: async (AccountId: string, BudgetName: string): Promise<NotificationWithSubscribers[]> => {
    const { Notifications = [] } = await call<{ Notifications?: Notification[] }>('DescribeNotificationsForBudget', {
      AccountId,
      BudgetName,
    });
    return Promise.all(
      Notifications.map(async (Notification) => ({
        Notification,
        Subscribers:
          (
            await call<{ Subscribers?: Subscriber[] }>('DescribeSubscribersForNotification', {
              AccountId,
              BudgetName,
              Notification: key(Notification),
            })
          ).Subscribers ?? [],
      })),
    );
  },
  /**
   * Saves an edited budget and its alerts: the alerts removed or changed are deleted first (so a budget never
   * holds more than five, and a budget turning daily sheds its forecast alerts before UpdateBudget checks them),
   * then UpdateBudget, then the new and changed alerts are created.
   */
  updateBudget: async (
    AccountId: string,
    NewBudget: Budget,
    before: NotificationWithSubscribers[],
    after: NotificationWithSubscribers[],
  ) => {
    const BudgetName = NewBudget.BudgetName;
    for (const old of before.filter((b) => !after.some((a) => same(a, b)))) {
      await call('DeleteNotification', { AccountId, BudgetName, Notification: key(old.Notification) });
    }
    await call('UpdateBudget', { AccountId, NewBudget });
    for (const added of after.filter((a) => !before.some((b) => same(a, b)))) {
      await call('CreateNotification', {
        AccountId,
        BudgetName,
        Notification: key(added.Notification),
        Subscribers: added.Subscribers,
      });
    }
  },
  /** The budget's periods since `since` (one page: at most 100), oldest first. */
  performanceHistory: async (AccountId: string, BudgetName: string, since: Date) =>
    (
      await call<{ BudgetPerformanceHistory?: { BudgetedAndActualAmountsList?: PerformanceEntry[] } }>(
        'DescribeBudgetPerformanceHistory',
        { AccountId, BudgetName, TimePeriod: { Start: since.toISOString(), End: new Date().toISOString() } },
      )
    ).BudgetPerformanceHistory?.BudgetedAndActualAmountsList ?? [],
};
