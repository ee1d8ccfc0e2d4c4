import { render } from 'preact'
import { App } from './app.js'
import { ApiContext } from './api-context.js'
import { createApiClient } from './lib/api-client.js'
import { createApiKeyStore } from './lib/api-key-store.js'
// Order matters: later sheets refine earlier ones, and phone.css overrides the rest at narrow widths.
import './styles/base.css'
import './styles/layout.css'
import './styles/controls.css'
import './styles/scan.css'
import './styles/tables.css'
import './styles/reports.css'
import './styles/models.css'
import './styles/review.css'
import './styles/put-away.css'
import './styles/actions.css'
import './styles/phone.css'

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null // blocked by the browser's privacy settings: the dashboard works without a stored key
  }
}

const keyStore = createApiKeyStore(localStorageOrNull())
const api = createApiClient({ getApiKey: () => keyStore.get() })
const root = document.getElementById('app')

if (root !== null) {
  render(
    <ApiContext.Provider value={api}>
      <App keyStore={keyStore} />
    </ApiContext.Provider>,
    root,
  )
}
