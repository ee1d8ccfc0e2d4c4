import { render } from 'preact'
import { App } from './app.js'
import { ApiContext } from './api-context.js'
import { createApiClient } from './lib/api-client.js'
import { createApiKeyStore } from './lib/api-key-store.js'
import './styles.css'

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
