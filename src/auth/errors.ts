export class InvalidRoleError extends Error {
  readonly code = 'SPS_AUTH_ROLE_INVALID'
  constructor(role: string) {
    super(`unknown role "${role}": use scanner, viewer, reviewer or admin`)
  }
}

export class ApiKeyNotFoundError extends Error {
  readonly code = 'SPS_AUTH_KEY_NOT_FOUND'
  constructor(ref: string) {
    super(`no API key with id or prefix "${ref}"`)
  }
}

export class AuthModeRefusedError extends Error {
  readonly code = 'SPS_AUTH_OFF_BEYOND_LOOPBACK'
  constructor(host: string) {
    super(
      `SPORTSCAN_AUTH=off refused: the server would listen on ${host}, beyond loopback, without keys. ` +
        'Use SPORTSCAN_AUTH=auto or required (and `sportscan keys create`), or HOST=127.0.0.1.',
    )
  }
}
