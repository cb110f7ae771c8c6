// The signed-in user, from the session cookie. Screens read it through useSession().
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, sessionExpiredEvent } from './api/client.ts';

export interface SessionUser {
  readonly username: string;
  readonly role: string;
  readonly units: readonly string[] | 'all';
}

interface SessionState {
  readonly user?: SessionUser;
  readonly checking: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

// The session cookie is HttpOnly, so the page cannot see it. This hint remembers that a sign-in
// happened in this browser: without it the sign-in form shows at once, with no request that is
// bound to fail (a 401 the browser would log as an error on every first visit).
const hintKey = 'vigil.signedIn';

// Asked as soon as the module loads, in parallel with the first render.
const initialCheck =
  localStorage.getItem(hintKey) === '1' ? api.get<{ user: SessionUser }>('/api/v1/session') : undefined;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | undefined>();
  const [checking, setChecking] = useState(true);
  useEffect(() => {
    if (!initialCheck) {
      setChecking(false);
      return;
    }
    initialCheck
      .then((session) => setUser(session.user))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) localStorage.removeItem(hintKey);
        else console.warn('session check failed', error);
      })
      .finally(() => setChecking(false));
  }, []);
  useEffect(() => {
    const expired = () => {
      localStorage.removeItem(hintKey);
      setUser(undefined);
    };
    window.addEventListener(sessionExpiredEvent, expired);
    return () => window.removeEventListener(sessionExpiredEvent, expired);
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    const session = await api.post<{ user: SessionUser }>('/api/v1/session', { username, password });
    localStorage.setItem(hintKey, '1');
    setUser(session.user);
  }, []);
  const signOut = useCallback(async () => {
    await api.delete('/api/v1/session').catch(() => undefined);
    localStorage.removeItem(hintKey);
    setUser(undefined);
  }, []);
  return <SessionContext.Provider value={{ user, checking, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
