import { Brain, Camera, ChartColumn, History, ListChecks, Package, type IconNode } from 'lucide'
// Page paths differ from the API's (/history, /stock, /models): the server answers those with JSON even for
// a browser, so a reload or a shared link of a page must not land on one of them.
export type PageId = 'scan' | 'history' | 'review' | 'stock' | 'bins' | 'models'

export interface PageRoute {
  id: PageId
  path: string
  title: string
  /** For the phone-width navigation bar. */
  shortTitle: string
  /** A Lucide icon, drawn as SVG by components/icon.tsx. */
  icon: IconNode
}

export const PAGE_ROUTES: readonly PageRoute[] = [
  { id: 'scan', path: '/', title: 'Scan', shortTitle: 'Scan', icon: Camera },
  { id: 'history', path: '/scans', title: 'History', shortTitle: 'History', icon: History },
  { id: 'review', path: '/queue', title: 'Review queue', shortTitle: 'Review', icon: ListChecks },
  { id: 'stock', path: '/reports', title: 'Stock & reports', shortTitle: 'Stock', icon: ChartColumn },
  { id: 'bins', path: '/put-away', title: 'Bins', shortTitle: 'Bins', icon: Package },
  { id: 'models', path: '/registry', title: 'Models', shortTitle: 'Models', icon: Brain },
]

/** The page for a location path; unknown paths (and `/scan`, `/index.html`) show the scan page. */
export function matchRoute(pathname: string): PageRoute {
  const path = pathname.replace(/\/+$/, '') || '/'
  const route = PAGE_ROUTES.find((r) => r.path === path)
  if (route !== undefined) return route
  const [scan] = PAGE_ROUTES
  if (scan === undefined) throw new Error('no routes')
  return scan
}
