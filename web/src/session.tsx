import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { answer, api, useToken, type Caller, type Employee, type Schemas } from './api';

type Directory = { people: Map<string, Employee>; departments: Map<string, Schemas['Department']> };
interface Session {
  caller: Caller;
  directory: Directory;
  /** Someone's name from the directory (their id if unknown), or `none` when there is nobody. */
  nameOf(id: string | null | undefined, none?: string): string;
  signOut(): void;
}

const stored = 'baton.session';
const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in person and the directory that names everyone on screen. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Who reads surveys and their results (the API's readers). */
export const SURVEY_READERS = ['hr', 'hr_director', 'executive', 'admin'] as const;

export const hasRole = (caller: Caller, ...roles: Caller['roles']) => roles.some((r) => caller.roles.includes(r));

async function loadDirectory(): Promise<Directory> {
  const [people, departments] = await Promise.all([
    // The organisation is small enough for one page per 200; a larger one pages on.
    (async () => {
      const all: Employee[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await answer(api.GET('/api/v1/employees', { params: { query: { limit: 200, offset } } }));
        all.push(...page.items);
        if (all.length >= page.total || page.items.length === 0) return all;
      }
    })(),
    answer(api.GET('/api/v1/departments')),
  ]);
  return { people: new Map(people.map((p) => [p.id, p])), departments: new Map(departments.items.map((d) => [d.id, d])) };
}

export function SessionProvider({ signIn, children }: { signIn: (done: (token: string) => void) => ReactNode; children: ReactNode }) {
  const [token, setToken] = useState<string | undefined>(() => localStorage.getItem(stored) ?? undefined);
  const [session, setSession] = useState<Pick<Session, 'caller' | 'directory'>>();
  const signOut = () => {
    localStorage.removeItem(stored);
    setToken(undefined);
    setSession(undefined);
  };
  useToken(token, signOut);
  useEffect(() => {
    if (!token) return;
    let live = true;
    Promise.all([answer(api.GET('/api/v1/me')), loadDirectory()]).then(
      ([caller, directory]) => live && setSession({ caller, directory }),
      () => live && signOut(),
    );
    return () => {
      live = false;
    };
  }, [token]);
  if (!token) {
    return signIn((t) => {
      localStorage.setItem(stored, t);
      setToken(t);
    });
  }
  if (!session) return null;
  const nameOf = (id: string | null | undefined, none = '—') => (id ? (session.directory.people.get(id)?.name ?? id) : none);
  return <SessionContext.Provider value={{ ...session, nameOf, signOut }}>{children}</SessionContext.Provider>;
}
