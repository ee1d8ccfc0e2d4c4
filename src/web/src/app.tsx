import { ScanLine } from 'lucide'
import { Icon } from './components/icon.js'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiKeyField } from './components/api-key-field.js'
import { NavBar } from './components/nav-bar.js'
import type { ApiKeyStore } from './lib/api-key-store.js'
import { matchRoute, type PageRoute } from './lib/routes.js'
import { BinsPage } from './pages/bins-page.js'
import { HistoryPage } from './pages/history-page.js'
import { ModelsPage } from './pages/models-page.js'
import { ReviewPage } from './pages/review-page.js'
import { ScanPage } from './pages/scan-page.js'
import { StockPage } from './pages/stock-page.js'

function currentRoute(): PageRoute {
  return matchRoute(window.location.pathname)
}

function renderPage(route: PageRoute) {
  switch (route.id) {
    case 'scan':
      return <ScanPage />
    case 'history':
      return <HistoryPage />
    case 'review':
      return <ReviewPage />
    case 'stock':
      return <StockPage />
    case 'bins':
      return <BinsPage />
    case 'models':
      return <ModelsPage />
  }
}

export function App({ keyStore }: { keyStore: ApiKeyStore }) {
  const [route, setRoute] = useState(currentRoute)
  const main = useRef<HTMLElement>(null)
  const isFirstRender = useRef(true)

  useEffect(() => {
    const onPopState = () => setRoute(currentRoute())
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [])

  useEffect(() => {
    document.title = `${route.title} · SportScan`
    // After a client-side navigation, move focus to the new page so screen readers announce it.
    if (!isFirstRender.current) main.current?.focus()
    isFirstRender.current = false
  }, [route])

  const navigate = (path: string) => {
    if (path !== window.location.pathname) window.history.pushState(null, '', path)
    setRoute(matchRoute(path))
  }

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <div class="app-header__top">
          <a
            class="brand"
            href="/"
            onClick={(event) => {
              event.preventDefault()
              navigate('/')
            }}
          >
            <Icon node={ScanLine} size={22} /> SportScan
          </a>
          <ApiKeyField store={keyStore} />
        </div>
        <NavBar current={route} onNavigate={navigate} />
      </header>
      <main id="main" ref={main} tabIndex={-1} class="app-main">
        {renderPage(route)}
      </main>
    </>
  )
}
