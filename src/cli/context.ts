import { loadConfig, type Config } from '../config/index.js'
import { openDatabase, type DatabaseHandle } from '../db/index.js'
import { createLogger, type Logger } from '../log/index.js'

/** What every command gets: configuration parsed once, the root logger, and the database opened on demand. */
export interface CliContext {
  config: Readonly<Config>
  log: Logger
  db(): Promise<DatabaseHandle>
  close(): Promise<void>
}

export function createCliContext(
  env: Record<string, string | undefined> = process.env,
  options: { defaultLogLevel?: string } = {},
): CliContext {
  const config = loadConfig(env)
  // A command's results are its output; its info logs would only repeat them, so they stay off unless asked.
  const level =
    env['LOG_LEVEL'] === undefined ? (options.defaultLogLevel ?? config.logLevel) : config.logLevel
  const log = createLogger({ level })
  let handle: Promise<DatabaseHandle> | undefined
  return {
    config,
    log,
    db() {
      handle ??= openDatabase(config.db, log)
      return handle
    },
    async close() {
      // A database that failed to open has nothing to close, and its error was already reported once.
      const opened = await handle?.catch(() => undefined)
      await opened?.close()
    },
  }
}
