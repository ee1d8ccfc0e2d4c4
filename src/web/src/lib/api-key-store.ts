/** The part of `window.localStorage` the key store needs, so tests can pass a Map-backed one. */
export interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export interface ApiKeyStore {
  get(): string | null
  set(key: string): void
  clear(): void
}

const STORAGE_KEY = 'sportscan.apiKey'

/** Keeps the API key the user signed in with; storage failures (private mode, quota) act as "no key". */
export function createApiKeyStore(storage: KeyValueStorage | null): ApiKeyStore {
  const clear = (): void => storage?.removeItem(STORAGE_KEY)
  return {
    get() {
      try {
        const value = storage?.getItem(STORAGE_KEY) ?? null
        return value === null || value.trim() === '' ? null : value
      } catch {
        return null // storage disabled: behave as signed out
      }
    },
    set(key) {
      const trimmed = key.trim()
      if (trimmed === '') {
        clear()
        return
      }
      storage?.setItem(STORAGE_KEY, trimmed)
    },
    clear,
  }
}

/** "sk_live_abcdef123456" -> "sk_l…3456": enough to recognise a key without showing it. */
export function maskApiKey(key: string): string {
  return key.length <= 8 ? '••••' : `${key.slice(0, 4)}…${key.slice(-4)}`
}
