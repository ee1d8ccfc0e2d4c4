import { InvalidArgumentError, type Command } from 'commander'
import { startServer } from '../../api/start-server.js'
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
      const { config, log } = getContext()
      const server = await startServer({
        config: {
          ...config,
          server: { host: opts.host ?? config.server.host, port: opts.port ?? config.server.port },
        },
        log,
        handleSignals: true,
      })
      console.log(`SportScan API on ${server.url} (docs: ${server.url}/docs)`)
      // Keep the command pending until the signal handler has shut the server down and exited.
      await new Promise<never>(() => undefined)
    })
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be an integer from 0 to 65535')
  }
  return port
}
