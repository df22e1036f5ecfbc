// The console's frame: who is signed in, the navigation, and which screen the URL names.

import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, onSessionEnd, type Caller } from './api';
import { can } from './caller';
import { Heading } from './components';
import { Link, navigate, useLocation } from './router';
import { forgetToken, readToken } from './session';
import { texts } from './texts';
import { SignIn } from './screens/sign-in';
import { Enrol } from './screens/enrol';
import { MyMfa } from './screens/my-mfa';
import { Accounts } from './screens/accounts';
import { AccountPage } from './screens/account';
import { AuditLog } from './screens/audit';

function NotAllowed(): JSX.Element {
  return (
    <>
      <Heading>{texts.common.notAllowed}</Heading>
      <p>
        <Link to="/mfa">{texts.nav.myMfa}</Link>
      </p>
    </>
  );
}

export function App(): JSX.Element {
  const location = useLocation();
  const [caller, setCaller] = useState<Caller | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const refreshCaller = useCallback(async () => {
    const stored = readToken();
    if (stored?.kind !== 'access') {
      setCaller(undefined);
      return;
    }
    try {
      setCaller(await call<Caller>('GET', '/api/v1/Session'));
    } catch {
      setCaller(undefined);
    }
  }, []);

  useEffect(() => {
    void refreshCaller().finally(() => setLoading(false));
    return onSessionEnd((kind) => {
      setCaller(undefined);
      setNotice(kind === 'enroll' ? texts.common.enrolmentExpired : texts.common.sessionEnded);
      navigate('/sign-in', { replace: true });
    });
  }, [refreshCaller]);

  const signedIn = async (notice?: string) => {
    setNotice(notice);
    await refreshCaller();
  };

  const signOut = async () => {
    try {
      await call('POST', '/signout');
    } catch {
      // Signed out here whatever the service said: the token is forgotten below.
    }
    forgetToken();
    setCaller(undefined);
    setNotice(texts.common.signedOut);
    navigate('/sign-in');
  };

  if (loading) return <p class="loading">{texts.common.loading}</p>;

  const stored = readToken();
  const { path } = location;
  let screen: JSX.Element;
  if (path === '/' || path === '/sign-in') {
    if (path === '/' && stored?.kind === 'access' && caller) {
      queueMicrotask(() => navigate('/mfa', { replace: true }));
      screen = <p class="loading">{texts.common.loading}</p>;
    } else {
      screen = <SignIn notice={notice} onSignedIn={signedIn} />;
    }
  } else if (path === '/enrol') {
    screen =
      stored && stored.kind !== 'mfa' ? (
        <Enrol caller={caller} onEnrolled={signedIn} />
      ) : (
        <SignIn notice={notice} onSignedIn={signedIn} />
      );
  } else if (!caller) {
    // Signed in, the person lands where they were going.
    screen = (
      <SignIn notice={notice} onSignedIn={signedIn} next={`${path}${window.location.search}`} />
    );
  } else if (path === '/mfa') {
    screen = <MyMfa caller={caller} refreshCaller={refreshCaller} />;
  } else if (path === '/accounts') {
    screen = can(caller, 'view-accounts') ? (
      <Accounts caller={caller} refreshCaller={refreshCaller} />
    ) : (
      <NotAllowed />
    );
  } else if (path.startsWith('/accounts/') && path.split('/').length === 3) {
    screen = can(caller, 'view-accounts') ? (
      <AccountPage caller={caller} refreshCaller={refreshCaller} id={path.split('/')[2] ?? ''} />
    ) : (
      <NotAllowed />
    );
  } else if (path === '/audit') {
    screen = can(caller, 'view-audit') ? (
      <AuditLog caller={caller} refreshCaller={refreshCaller} />
    ) : (
      <NotAllowed />
    );
  } else {
    screen = (
      <>
        <Heading>{texts.common.notFound}</Heading>
        <p>
          <Link to="/">{texts.common.toSignIn}</Link>
        </p>
      </>
    );
  }

  const section = path.split('/')[1] ?? '';
  const navLink = (to: string, label: string) => (
    <li>
      <Link to={to} aria-current={section === to.slice(1) ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );

  return (
    <>
      <a class="skip" href="#main">
        {texts.skipToContent}
      </a>
      <header>
        <span class="brand">{texts.appName}</span>
        {caller && stored?.kind === 'access' && (
          <nav aria-label={texts.nav.label}>
            <ul>
              {navLink('/mfa', texts.nav.myMfa)}
              {can(caller, 'view-accounts') && navLink('/accounts', texts.nav.accounts)}
              {can(caller, 'view-audit') && navLink('/audit', texts.nav.audit)}
              <li>
                <button type="button" class="link" onClick={() => void signOut()}>
                  {texts.nav.signOut}
                </button>
              </li>
            </ul>
            <p class="who">{texts.nav.signedInAs(caller.userName)}</p>
          </nav>
        )}
      </header>
      <main id="main">{screen}</main>
    </>
  );
}
