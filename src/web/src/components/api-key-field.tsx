import { KeyRound } from 'lucide'
import { Icon } from './icon.js'
import { useRef, useState } from 'preact/hooks'
import { maskApiKey, type ApiKeyStore } from '../lib/api-key-store.js'

/** Sign-in with an API key: kept in localStorage and sent as `Authorization: Bearer` on every request. */
export function ApiKeyField({ store }: { store: ApiKeyStore }) {
  const [saved, setSaved] = useState(() => store.get())
  const [draft, setDraft] = useState('')
  const details = useRef<HTMLDetailsElement>(null)
  const close = () => {
    if (details.current === null) return
    details.current.open = false
    details.current.querySelector('summary')?.focus()
  }

  return (
    <details
      class="api-key"
      ref={details}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close()
      }}
    >
      <summary>
        <Icon node={KeyRound} /> {saved === null ? 'Sign in' : `Key ${maskApiKey(saved)}`}
      </summary>
      <form
        class="api-key__form"
        onSubmit={(event) => {
          event.preventDefault()
          store.set(draft)
          setSaved(store.get())
          setDraft('')
          close()
        }}
      >
        <label for="api-key-input">API key</label>
        <input
          id="api-key-input"
          type="password"
          autoComplete="off"
          value={draft}
          onInput={(event) => setDraft(event.currentTarget.value)}
          placeholder="Paste your key"
        />
        <div class="button-row">
          <button type="submit" class="button button--primary" disabled={draft.trim() === ''}>
            Save key
          </button>
          {saved !== null && (
            <button
              type="button"
              class="button"
              onClick={() => {
                store.clear()
                setSaved(null)
                close()
              }}
            >
              Sign out
            </button>
          )}
        </div>
        <p class="hint">The key stays in this browser only.</p>
      </form>
    </details>
  )
}
