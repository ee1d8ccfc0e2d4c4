export { ROLES, isRole, isRoleSufficient, type RequiredRole, type Role } from './roles.js'
export {
  fingerprintApiKey,
  generateApiKey,
  hashApiKey,
  parseApiKeyPrefix,
  verifyApiKey,
  type NewApiKey,
} from './api-key.js'
export { ApiKeyNotFoundError, AuthModeRefusedError, InvalidRoleError } from './errors.js'
export { resolveAuthMode, isLoopbackHost, type AuthMode } from './auth-mode.js'
export {
  ApiKeyVerifier,
  createApiKey,
  hasActiveApiKeys,
  listApiKeys,
  revokeApiKey,
  type ApiKeyIdentity,
  type ApiKeyInfo,
} from './key-store.js'
