import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/** Pages are addressed by path, so links in notifications (/tasks/<id>, /flows/<id>) open them. */
const Location = createContext<{ path: string; query: URLSearchParams; go(to: string): void }>({ path: '/', query: new URLSearchParams(), go: () => {} });

export function Router({ children }: { children: ReactNode }) {
  const [href, setHref] = useState(window.location.pathname + window.location.search);
  useEffect(() => {
    const back = () => setHref(window.location.pathname + window.location.search);
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);
  const url = new URL(href, window.location.origin);
  const go = (to: string) => {
    if (to === href) return;
    window.history.pushState(null, '', to);
    setHref(to);
    window.scrollTo(0, 0);
  };
  return <Location.Provider value={{ path: url.pathname, query: url.searchParams, go }}>{children}</Location.Provider>;
}

export const useLocation = () => useContext(Location);

/** Matches `/plans/:id` against a path; the named parts, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length && !(path === '/' && pattern === '/')) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got[i] ?? '');
    else if (part !== got[i]) return undefined;
  }
  return params;
}

/** An in-app link: a real href (open in a new tab works), navigation without a reload. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { go } = useLocation();
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        go(to);
      }}
    >
      {children}
    </a>
  );
}
