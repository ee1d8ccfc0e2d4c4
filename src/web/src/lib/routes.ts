export type PageId = 'scan' | 'history' | 'stock' | 'models'

export interface PageRoute {
  id: PageId
  path: string
  title: string
  icon: string
}

export const PAGE_ROUTES: readonly PageRoute[] = [
  { id: 'scan', path: '/', title: 'Scan', icon: '📷' },
  { id: 'history', path: '/history', title: 'History', icon: '🗂️' },
  { id: 'stock', path: '/stock', title: 'Stock & reports', icon: '📊' },
  { id: 'models', path: '/models', title: 'Models', icon: '🧠' },
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
