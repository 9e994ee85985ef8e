import { useEffect, useState } from 'react';
import { consoleApi, type SessionView } from './client/api';
import { Shell } from './components/shell';
import { Loading } from './components/states';
import { ChangePasswordPage } from './pages/auth/change-password';
import { MfaPage } from './pages/auth/mfa';
import { SignInPage } from './pages/auth/sign-in';
import { SignUpPage } from './pages/auth/sign-up';
import { navigate, useRoute } from './router';
import { SessionContext } from './session';

export function App() {
  const [session, setSession] = useState<SessionView | null>(null);
  const route = useRoute();

  useEffect(() => {
    const unsubscribe = consoleApi.onSession(setSession);
    void consoleApi.session();
    return unsubscribe;
  }, []);

  useEffect(() => {
    if (session === null) return;
    const signingIn = route.path.startsWith('/signin') || route.path === '/signup';
    if (session.state === 'anonymous' && !signingIn) navigate('/signin');
    if (session.state === 'mfa' && route.path !== '/signin/mfa') navigate('/signin/mfa');
    if (session.state === 'password-change' && route.path !== '/change-password') navigate('/change-password');
    if (session.state === 'active' && (signingIn || route.path === '/change-password')) navigate('/');
  }, [session, route.path]);

  if (session === null) return <Loading label="Loading the console" />;
  let page;
  if (session.state === 'active') page = <Shell route={route} />;
  else if (session.state === 'mfa') page = <MfaPage />;
  else if (session.state === 'password-change') page = <ChangePasswordPage />;
  else if (route.path === '/signup') page = <SignUpPage />;
  else page = <SignInPage session={session} />;
  return <SessionContext.Provider value={session}>{page}</SessionContext.Provider>;
}
