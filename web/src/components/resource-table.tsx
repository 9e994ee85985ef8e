import { useCollection } from '@cloudscape-design/collection-hooks';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { ReactNode } from 'react';
import { EmptyState } from './states';

export interface ResourceTableProps<T> {
  title: string;
  description?: string;
  items: readonly T[];
  loading: boolean;
  columns: TableProps.ColumnDefinition<T>[];
  trackBy: string;
  resourceName: string;
  filterPlaceholder: string;
  actions?: ReactNode;
  selectionType?: TableProps.SelectionType;
  selectedItems?: T[];
  onSelectionChange?: (items: T[]) => void;
  /** Rows shown but not selectable (e.g. a policy a user has through a group, removed from the group). */
  isItemDisabled?: (item: T) => boolean;
  filters?: ReactNode;
  headerVariant?: 'h1' | 'h2';
  onRefresh?: () => void;
}

/** "policy" → "policies", "user group" → "user groups": the resource names the tables use are regular nouns. */
const plural = (name: string) => (/[^aeiou]y$/.test(name) ? `${name.slice(0, -1)}ies` : `${name}s`);

/** A list page's table: filter, pagination, counter, empty and no-match states, as Cloudscape's demos build them. */
export function ResourceTable<T>(props: ResourceTableProps<T>) {
  const many = plural(props.resourceName);
  const { items, collectionProps, filterProps, filteredItemsCount, paginationProps, actions } = useCollection(
    props.items as T[],
    {
      filtering: {
        empty: <EmptyState title={`No ${many}`} subtitle={`No ${many} to display.`} />,
        noMatch: (
          <EmptyState
            title="No matches"
            subtitle="We can't find a match."
            action={<Button onClick={() => actions.setFiltering('')}>Clear filter</Button>}
          />
        ),
      },
      pagination: { pageSize: 20 },
      sorting: {},
      selection: {},
    },
  );
  const counter =
    props.selectedItems !== undefined && props.selectedItems.length > 0
      ? `(${props.selectedItems.length}/${props.items.length})`
      : `(${props.items.length})`;
  return (
    <Table
      {...collectionProps}
      variant={props.headerVariant === 'h2' ? 'container' : 'full-page'}
      items={items}
      loading={props.loading}
      loadingText={`Loading ${many}`}
      columnDefinitions={props.columns}
      trackBy={props.trackBy}
      selectionType={props.selectionType}
      selectedItems={props.selectedItems}
      onSelectionChange={(e) => props.onSelectionChange?.(e.detail.selectedItems as T[])}
      isItemDisabled={props.isItemDisabled}
      ariaLabels={{
        selectionGroupLabel: `${props.resourceName} selection`,
        allItemsSelectionLabel: () => `Select all ${many}`,
        itemSelectionLabel: (_s, item) => `Select ${String((item as Record<string, unknown>)[props.trackBy])}`,
        tableLabel: props.title,
      }}
      header={
        <Header
          variant={props.headerVariant === 'h2' ? 'h2' : 'awsui-h1-sticky'}
          counter={counter}
          description={props.description}
          actions={props.actions}
        >
          {props.title}
        </Header>
      }
      filter={
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'center' }}>
          <div style={{ flex: '1 1 320px' }}>
            <TextFilter
              {...filterProps}
              filteringPlaceholder={props.filterPlaceholder}
              filteringAriaLabel={props.filterPlaceholder}
              filteringClearAriaLabel="Clear filter"
              countText={`${filteredItemsCount ?? 0} matches`}
            />
          </div>
          {props.filters}
        </div>
      }
      pagination={
        <Pagination
          {...paginationProps}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
    />
  );
}
