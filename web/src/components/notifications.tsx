import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../client/api';

interface Notify {
  /** `survivesNavigation`: the message is for the page about to be opened (after a create). */
  success: (content: ReactNode, header?: string, survivesNavigation?: boolean) => void;
  /** Shows a server refusal as AWS does: "Access Denied" for AccessDenied, the code otherwise. */
  error: (error: unknown) => void;
  /** Drops messages of the page being left. */
  routeChanged: () => void;
}

const NotifyContext = createContext<Notify | null>(null);

export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (notify === null) throw new Error('useNotify outside NotificationsProvider');
  return notify;
}

let nextId = 0;

export function errorHeader(error: unknown): string {
  if (error instanceof ApiError) return error.code === 'AccessDenied' ? 'Access Denied' : error.code;
  return 'Error';
}

export function NotificationsProvider({
  children,
}: {
  children: (items: FlashbarProps.MessageDefinition[]) => ReactNode;
}) {
  const [items, setItems] = useState<Array<FlashbarProps.MessageDefinition & { keep: number }>>([]);
  const push = useCallback((item: FlashbarProps.MessageDefinition, keep = 0) => {
    const id = String(++nextId);
    setItems((current) => [
      ...current,
      {
        ...item,
        id,
        keep,
        dismissible: true,
        dismissLabel: 'Dismiss message',
        onDismiss: () => setItems((c) => c.filter((i) => i.id !== id)),
      },
    ]);
  }, []);
  const notify = useMemo<Notify>(
    () => ({
      success: (content, header, survivesNavigation) =>
        push(
          { type: 'success', content: <span data-testid="flash-success">{content}</span>, header },
          survivesNavigation ? 1 : 0,
        ),
      error: (error) =>
        push({
          type: 'error',
          header: <span data-testid="flash-error-header">{errorHeader(error)}</span>,
          content: <span data-testid="flash-error">{error instanceof Error ? error.message : String(error)}</span>,
        }),
      routeChanged: () =>
        setItems((current) => current.filter((i) => i.keep > 0).map((i) => ({ ...i, keep: i.keep - 1 }))),
    }),
    [push],
  );
  return <NotifyContext.Provider value={notify}>{children(items)}</NotifyContext.Provider>;
}

export function Notifications({ items }: { items: FlashbarProps.MessageDefinition[] }) {
  return <Flashbar items={items} stackItems={false} />;
}
