/** A small hash router: `#/iam/users?x=1` → path `/iam/users`, query `x=1` (as the legacy Billing console routes). */
import { useEffect, useState } from 'react';

export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = hash.split('?');
  return { path, query: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** For Cloudscape's onFollow events: follow `href`s that are hash routes without a page load. */
export function followHref(event: CustomEvent<{ href?: string; external?: boolean }>): void {
  const href = event.detail.href;
  if (href?.startsWith('#') && !event.detail.external) {
    event.preventDefault();
    navigate(href.slice(1));
  }
}
