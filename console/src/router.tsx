// Each screen has its own URL under /console; links change it without reloading the page.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

function current(): Location {
  // The service matches paths in any case; so do the screens (ids are uuids, in any case too).
  const path = window.location.pathname.replace(/\/+$/, '').toLowerCase() || BASE;
  return {
    path: path.toLowerCase().startsWith(BASE) ? path.slice(BASE.length) || '/' : '/',
    query: new URLSearchParams(window.location.search),
  };
}

const listeners = new Set<() => void>();

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

export function Link(props: {
  readonly to: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly 'aria-current'?: 'page' | undefined;
}): JSX.Element {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a
      href={`${BASE}${props.to}`}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={onClick}
    >
      {props.children}
    </a>
  );
}
