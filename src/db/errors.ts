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

export class PgliteInUseError extends Error {
  readonly code = 'SPS_DB_EMBEDDED_IN_USE'
  constructor(
    readonly dir: string,
    readonly ownerPid: number | undefined,
  ) {
    super(
      `the embedded database at ${dir} is in use by ${ownerPid ? `process ${ownerPid}` : 'another process'}` +
        ' (a running `sportscan serve`?): stop it first, use its HTTP API, or set DATABASE_URL to share PostgreSQL',
    )
  }
}
