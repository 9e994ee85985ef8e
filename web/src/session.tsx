import { createContext, useContext } from 'react';
import type { Identity, SessionView } from './client/api';

export const SessionContext = createContext<SessionView | null>(null);

/** The signed-in identity; pages under the console shell are only drawn when there is one. */
export function useIdentity(): Identity {
  const session = useContext(SessionContext);
  if (session?.identity == null) throw new Error('useIdentity outside a signed-in session');
  return session.identity;
}
