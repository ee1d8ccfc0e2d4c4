import { InvalidArgumentError, type Command } from 'commander'
import { startServer, type RetrainRunner } from '../../api/index.js'
import type { Database } from '../../db/index.js'
import { retrainWithGate } from '../../pipeline/index.js'
import { resolveCodeVersion } from '../../registry/index.js'
import type { CliContext } from '../context.js'

/** `sportscan serve`: the HTTP API (and dashboard) on config.server, until SIGTERM/SIGINT. */
export function register(program: Command, getContext: () => CliContext): void {
  program
    .command('serve')
    .description(
      'Serve the HTTP API and dashboard (PORT, HOST, DATABASE_URL or embedded PGlite under SPORTSCAN_HOME)',
    )
    .option('-p, --port <port>', 'port to listen on, 0 for any free one (overrides PORT)', parsePort)
    .option('--host <host>', 'address to bind (overrides HOST)')
    .action(async (opts: { port?: number; host?: string }) => {
      const ctx = getContext()
      const { config, log } = ctx
      const server = await startServer({
        config: {
          ...config,
          server: {
            ...config.server,
            host: opts.host ?? config.server.host,
            port: opts.port ?? config.server.port,
          },
        },
        log,
        handleSignals: true,
        ...(config.retrain.splitFile === null
          ? {}
          : {
              createRetrain: (db: Database) => createRetrainRunner(ctx, db, config.retrain.splitFile ?? ''),
            }),
      })
      console.log(`SportScan API on ${server.url} (docs: ${server.url}/docs)`)
      // Keep the command pending until the signal handler has shut the server down and exited.
      await new Promise<never>(() => undefined)
    })
}

/**
 * Retraining inside the server process: with embedded PGlite no other process may open the database, and
 * training yields to the event loop between batches, so scans are still answered (more slowly) meanwhile.
 */
function createRetrainRunner(ctx: CliContext, db: Database, splitFile: string): RetrainRunner {
  const { config, log } = ctx
  return async (request, hooks) => {
    const result = await retrainWithGate({
      home: config.home,
      db,
      log,
      codeVersion: await resolveCodeVersion({ configured: config.codeVersion }),
      signal: hooks.signal,
      splitFile,
      serving: config.serving,
      overrides: config.retrain.overrides,
      testTolerance: config.retrain.testTolerance,
      holdoutFraction: config.retrain.holdoutFraction,
      holdoutSeed: config.retrain.holdoutSeed,
      onProgress: hooks.onProgress,
      ...(request.since ? { since: request.since } : {}),
      ...(request.baseVersion ? { baseVersion: request.baseVersion } : {}),
    })
    return {
      candidateRef: result.candidateRef,
      decision: result.decision.decision,
      reason: result.decision.reason,
      decisionId: result.decision.id,
    }
  }
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be an integer from 0 to 65535')
  }
  return port
}
