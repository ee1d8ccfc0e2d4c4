import { Icon } from './icon.js'
import { PAGE_ROUTES, type PageRoute } from '../lib/routes.js'

function isPlainLeftClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}

export function NavBar({ current, onNavigate }: { current: PageRoute; onNavigate: (path: string) => void }) {
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {PAGE_ROUTES.map((route) => (
          <li key={route.id}>
            <a
              href={route.path}
              aria-current={route.id === current.id ? 'page' : undefined}
              onClick={(event) => {
                // Modified clicks (new tab, new window) keep the browser's behaviour.
                if (!isPlainLeftClick(event)) return
                event.preventDefault()
                onNavigate(route.path)
              }}
            >
              <Icon node={route.icon} class="nav__icon" /> <span class="nav__title">{route.title}</span>
              <span class="nav__short" aria-hidden="true">
                {route.shortTitle}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
