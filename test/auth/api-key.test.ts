import { describe, expect, it } from 'vitest'
import {
  AuthModeRefusedError,
  generateApiKey,
  hashApiKey,
  isRoleSufficient,
  parseApiKeyPrefix,
  resolveAuthMode,
  verifyApiKey,
} from '../../src/auth/index.js'

describe('API keys', () => {
  it('generates distinct keys of the form sps_<prefix>_<secret> whose prefix parses back', () => {
    const a = generateApiKey()
    const b = generateApiKey()
    expect(a.key).toMatch(/^sps_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/)
    expect(a.key).not.toBe(b.key)
    expect(parseApiKeyPrefix(a.key)).toBe(a.prefix)
    expect(parseApiKeyPrefix('sps_short_x')).toBeUndefined()
    expect(parseApiKeyPrefix(`${a.key} `)).toBeUndefined()
  })

  it('stores a salted scrypt hash that verifies the key and nothing else', async () => {
    const { key } = generateApiKey()
    const [first, second] = await Promise.all([hashApiKey(key), hashApiKey(key)])
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(first).not.toContain(key)
    // A fresh salt each time: equal keys never share a hash.
    expect(first).not.toBe(second)
    expect(await verifyApiKey(key, first)).toBe(true)
    expect(await verifyApiKey(key, second)).toBe(true)
    expect(await verifyApiKey(`${key}x`, first)).toBe(false)
    expect(await verifyApiKey(generateApiKey().key, first)).toBe(false)
  })

  it('answers false for a malformed stored hash instead of throwing', async () => {
    for (const stored of [
      '',
      'bcrypt$1$2$3$a$b',
      'scrypt$x$8$1$AAAA$AAAA',
      'scrypt$16384$8$1$AAAA$c2hvcnQ=',
    ]) {
      expect(await verifyApiKey('sps_00000000_x', stored)).toBe(false)
    }
  })
})

describe('roles', () => {
  it.each([
    ['scanner', 'scanner', true],
    ['scanner', 'viewer', false],
    ['viewer', 'viewer', true],
    ['viewer', 'scanner', false],
    ['viewer', 'reviewer', false],
    ['reviewer', 'viewer', true],
    ['reviewer', 'admin', false],
    ['admin', 'scanner', true],
    ['admin', 'admin', true],
    ['scanner', 'public', true],
  ] as const)('%s for a %s route: %s', (held, required, expected) => {
    expect(isRoleSufficient(held, required)).toBe(expected)
  })
})

describe('auth mode', () => {
  it.each([
    ['auto', '127.0.0.1', 'off'],
    ['auto', 'localhost', 'off'],
    ['auto', '::1', 'off'],
    ['auto', '0.0.0.0', 'required'],
    ['auto', '192.168.1.5', 'required'],
    ['required', '127.0.0.1', 'required'],
    ['off', '127.0.0.1', 'off'],
  ] as const)('%s on %s -> %s', (setting, host, mode) => {
    expect(resolveAuthMode(setting, host)).toBe(mode)
  })

  it('refuses SPORTSCAN_AUTH=off beyond loopback with a clear error', () => {
    expect(() => resolveAuthMode('off', '0.0.0.0')).toThrow(AuthModeRefusedError)
    expect(() => resolveAuthMode('off', '0.0.0.0')).toThrow(/SPORTSCAN_AUTH=off refused.*0\.0\.0\.0/)
  })
})
