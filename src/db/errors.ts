export class DatabaseUnavailableError extends Error {
  readonly code = 'SPS_DB_UNAVAILABLE'
  constructor(cause: unknown) {
    super('the database is not answering', { cause })
  }
}

export class MigrationFailedError extends Error {
  readonly code = 'SPS_DB_MIGRATION_FAILED'
  constructor(cause: unknown) {
    super(`database migration failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}
