export class ConfigInvalidError extends Error {
  readonly code = 'SPS_CONFIG_INVALID'
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
  }
}
