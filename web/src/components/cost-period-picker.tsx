import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import { exclusiveEndOf } from './format';

/** Relative ranges as AWS's Cost Explorer offers them; "Last N months" counts the month to date as one. */
const RELATIVE_OPTIONS: DateRangePickerProps.RelativeOption[] = [
  { key: 'month-to-date', amount: 1, unit: 'month', type: 'relative' },
  { key: 'last-3-months', amount: 3, unit: 'month', type: 'relative' },
  { key: 'last-6-months', amount: 6, unit: 'month', type: 'relative' },
  { key: 'last-12-months', amount: 12, unit: 'month', type: 'relative' },
];

const relativeLabel = (value: DateRangePickerProps.RelativeValue) =>
  value.key === 'month-to-date'
    ? 'Month to date'
    : `Last ${value.amount} ${value.unit}${value.amount === 1 ? '' : 's'}`;

const I18N: DateRangePickerProps.I18nStrings = {
  modeSelectionLabel: 'Date range mode',
  relativeModeTitle: 'Relative range',
  absoluteModeTitle: 'Absolute range',
  relativeRangeSelectionHeading: 'Choose a range',
  cancelButtonLabel: 'Cancel',
  clearButtonLabel: 'Clear and dismiss',
  applyButtonLabel: 'Apply',
  formatRelativeRange: relativeLabel,
  formatUnit: (unit, value) => (value === 1 ? unit : `${unit}s`),
  customRelativeRangeOptionLabel: 'Custom range',
  customRelativeRangeOptionDescription: 'Set a custom range in the past',
  customRelativeRangeDurationLabel: 'Duration',
  customRelativeRangeDurationPlaceholder: 'Enter duration',
  customRelativeRangeUnitLabel: 'Unit of time',
  startDateLabel: 'Start date',
  endDateLabel: 'End date',
  startMonthLabel: 'Start month',
  endMonthLabel: 'End month',
  dateConstraintText: 'For date, use YYYY/MM/DD.',
  isoDateConstraintText: 'For date, use YYYY-MM-DD.',
  slashedDateConstraintText: 'For date, use YYYY/MM/DD.',
  errorIconAriaLabel: 'Error',
  renderSelectedAbsoluteRangeAriaLive: (start, end) => `Range selected from ${start} to ${end}`,
  todayAriaLabel: 'Today',
  nextMonthAriaLabel: 'Next month',
  previousMonthAriaLabel: 'Previous month',
  currentMonthAriaLabel: 'This month',
  nextYearAriaLabel: 'Next year',
  previousYearAriaLabel: 'Previous year',
};

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The period a picked range stands for, in the API's terms: Start, and End the day after the last day shown
 * (the picker's end day is included, as in AWS's console). A relative range ends today.
 */
export function periodOf(value: DateRangePickerProps.Value | null, now: Date): { Start: string; End: string } | null {
  if (value === null) return null;
  if (value.type === 'absolute') {
    return { Start: value.startDate.slice(0, 10), End: exclusiveEndOf(value.endDate.slice(0, 10)) };
  }
  const months = value.unit === 'month' ? value.amount : value.unit === 'year' ? value.amount * 12 : undefined;
  const today = day(now);
  if (months === undefined) {
    const days = value.amount * (value.unit === 'week' ? 7 : value.unit === 'day' ? 1 : 0);
    if (days === 0) return null;
    return {
      Start: day(new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000)),
      End: exclusiveEndOf(today),
    };
  }
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
  return { Start: day(start), End: exclusiveEndOf(today) };
}

/** The console's cost date range: both days included, one day allowed, relative ranges as AWS offers. */
export function CostPeriodPicker(props: {
  value: DateRangePickerProps.Value | null;
  onChange: (value: DateRangePickerProps.Value | null) => void;
}) {
  return (
    <DateRangePicker
      value={props.value}
      onChange={(e) => props.onChange(e.detail.value)}
      relativeOptions={RELATIVE_OPTIONS}
      customRelativeRangeUnits={['day', 'week', 'month', 'year']}
      i18nStrings={I18N}
      dateOnly
      isValidRange={(range) => {
        if (range === null) return { valid: false, errorMessage: 'Choose a date range.' };
        if (range.type === 'relative') {
          return range.amount > 0 ? { valid: true } : { valid: false, errorMessage: 'Enter a duration of 1 or more.' };
        }
        if (range.startDate === '' || range.endDate === '') {
          return { valid: false, errorMessage: 'Choose a start date and an end date.' };
        }
        return range.startDate.slice(0, 10) <= range.endDate.slice(0, 10)
          ? { valid: true }
          : { valid: false, errorMessage: 'Choose an end date on or after the start date.' };
      }}
      placeholder="Choose a date range"
      ariaLabel="Date range"
    />
  );
}
