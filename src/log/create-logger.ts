import { pino, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

/** The one root logger, built at an edge (CLI or server start); everything else gets it or a child. */
export function createLogger(options: { level: string; pretty?: boolean } = { level: 'info' }): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY
  const base: LoggerOptions = {
    level: options.level,
    redact: {
      paths: ['req.headers.authorization', '*.apiKey', '*.password', 'databaseUrl'],
      censor: '[redacted]',
    },
  }
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'HH:MM:ss' } },
    })
  }
  // Diagnostics go to stderr so that CLI results on stdout stay machine-readable.
  return pino(base, pino.destination(2))
}

/** A logger that drops everything, for tests and library callers that pass none. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' })
}
