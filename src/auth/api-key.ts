import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt cost: N=2^15, r=8 takes ~50 ms and 32 MiB per verification, hence the cache in the API. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const
const HASH_BYTES = 32
const SALT_BYTES = 16
const KEY_PATTERN = /^sps_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/

export interface NewApiKey {
  /** The full key, shown once and never stored. */
  key: string
  /** Stored in clear to find the row; 8 random lowercase hex characters. */
  prefix: string
}

/** A fresh key `sps_<prefix>_<secret>`: 32 random bytes of secret (base64url). */
export function generateApiKey(): NewApiKey {
  const prefix = randomBytes(4).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  return { key: `sps_${prefix}_${secret}`, prefix }
}

/** The prefix of a well-formed key, or undefined for anything else (checked before any database work). */
export function parseApiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1]
}

function scryptAsync(key: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(key, salt, HASH_BYTES, options, (err, derived) => (err ? reject(err) : resolve(derived)))
  })
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: the parameters travel with the hash so they can be raised later. */
export async function hashApiKey(key: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const hash = await scryptAsync(key, salt, SCRYPT)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$')
}

/** Constant-time check of `key` against a stored hash; false (never a throw) for a malformed hash. */
export async function verifyApiKey(key: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, hashB64] = stored.split('$')
  if (scheme !== 'scrypt' || saltB64 === undefined || hashB64 === undefined) return false
  const expected = Buffer.from(hashB64, 'base64')
  const N = Number(n)
  if (expected.length !== HASH_BYTES || !Number.isInteger(N)) return false
  const actual = await scryptAsync(key, Buffer.from(saltB64, 'base64'), {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  })
  return timingSafeEqual(actual, expected)
}

/** A fast keyed digest of a key, to cache verifications without keeping keys in memory. */
export function fingerprintApiKey(key: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(key).digest('base64url')
}
