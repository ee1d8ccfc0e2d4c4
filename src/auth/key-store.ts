import { randomBytes } from 'node:crypto'
import {
  type Database,
  type ApiKeyRow,
  countActiveApiKeys,
  findApiKeyByPrefix,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
} from '../db/index.js'
import { fingerprintApiKey, generateApiKey, hashApiKey, parseApiKeyPrefix, verifyApiKey } from './api-key.js'
import { ApiKeyNotFoundError, InvalidRoleError } from './errors.js'
import { isRole, type Role } from './roles.js'

/** What a verified key may do, and who it is (recorded as `corrected_by`, logged). */
export interface ApiKeyIdentity {
  id: number
  name: string
  role: Role
  prefix: string
}

/** A key row without its hash: what `keys list` shows. */
export type ApiKeyInfo = Omit<ApiKeyRow, 'keyHash'>

/** Creates a key; the returned `key` is the only time it exists in clear. */
export async function createApiKey(
  db: Database,
  input: { name: string; role: string },
): Promise<{ key: string; info: ApiKeyInfo }> {
  if (!isRole(input.role)) throw new InvalidRoleError(input.role)
  const { key, prefix } = generateApiKey()
  const row = await insertApiKey(db, {
    name: input.name,
    role: input.role,
    prefix,
    keyHash: await hashApiKey(key),
  })
  return { key, info: withoutHash(row) }
}

/** Keys not revoked: with none, a server requiring keys answers every API call with 401. */
export async function hasActiveApiKeys(db: Database): Promise<boolean> {
  return (await countActiveApiKeys(db)) > 0
}

export async function listApiKeys(db: Database): Promise<ApiKeyInfo[]> {
  return (await listApiKeyRows(db)).map(withoutHash)
}

/** Revokes by id or prefix; revoking a revoked key is a no-op that answers the row. */
export async function revokeApiKey(db: Database, ref: string): Promise<ApiKeyInfo> {
  const row = await revokeApiKeyRow(db, ref)
  if (!row) throw new ApiKeyNotFoundError(ref)
  return withoutHash(row)
}

function withoutHash(row: ApiKeyRow): ApiKeyInfo {
  const { keyHash: _hash, ...info } = row
  return info
}

/** How long a successful scrypt verification is trusted; the revoked_at check still runs per request. */
const CACHE_TTL_MS = 60_000
const CACHE_MAX_ENTRIES = 1_000

/**
 * Verifies bearer keys. Every request reads the key's row by its unique prefix (one indexed lookup), so a
 * revoke takes effect at once; only the ~50 ms scrypt is cached, keyed by an HMAC of the key with a
 * per-process secret so the cache never holds keys in clear.
 */
export class ApiKeyVerifier {
  private readonly secret = randomBytes(32)
  private readonly verified = new Map<string, { hash: string; expiresAt: number }>()

  constructor(private readonly db: Database) {}

  /** The key's identity, or undefined for a malformed, unknown, wrong or revoked key. */
  async verify(key: string): Promise<ApiKeyIdentity | undefined> {
    const prefix = parseApiKeyPrefix(key)
    if (prefix === undefined) return undefined
    const row = await findApiKeyByPrefix(this.db, prefix)
    if (!row || row.revokedAt !== null || !isRole(row.role)) return undefined
    const fingerprint = fingerprintApiKey(key, this.secret)
    const cached = this.verified.get(fingerprint)
    const now = Date.now()
    if (!(cached && cached.hash === row.keyHash && cached.expiresAt > now)) {
      if (!(await verifyApiKey(key, row.keyHash))) return undefined
      if (this.verified.size >= CACHE_MAX_ENTRIES) this.verified.clear()
      this.verified.set(fingerprint, { hash: row.keyHash, expiresAt: now + CACHE_TTL_MS })
    }
    return { id: row.id, name: row.name, role: row.role, prefix: row.prefix }
  }
}
