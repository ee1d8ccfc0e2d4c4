import { describe, expect, it } from 'vitest'
import { createApiKeyStore, maskApiKey, type KeyValueStorage } from '../../src/web/src/lib/api-key-store.js'

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  }
}

describe('createApiKeyStore', () => {
  it('saves a trimmed key, reads it back and clears it', () => {
    const storage = memoryStorage()
    const store = createApiKeyStore(storage)
    expect(store.get()).toBeNull()
    store.set('  sk_123456789  ')
    expect(store.get()).toBe('sk_123456789')
    store.clear()
    expect(store.get()).toBeNull()
    expect(storage.data.size).toBe(0)
  })

  it('treats saving a blank key as signing out', () => {
    const store = createApiKeyStore(memoryStorage())
    store.set('sk_abc')
    store.set('   ')
    expect(store.get()).toBeNull()
  })

  it('acts signed out when storage throws or is missing', () => {
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    }
    expect(createApiKeyStore(throwing).get()).toBeNull()
    expect(createApiKeyStore(null).get()).toBeNull()
  })
})

describe('maskApiKey', () => {
  it('shows only the ends of a long key', () => {
    expect(maskApiKey('sk_live_abcdef123456')).toBe('sk_l…3456')
    expect(maskApiKey('short')).toBe('••••')
  })
})
