#!/usr/bin/env node
import { CommanderError } from 'commander'
import { createCliContext, type CliContext } from './context.js'
import { buildProgram } from './program.js'

async function main(argv: string[]): Promise<number> {
  let ctx: CliContext | undefined
  // `serve` logs requests at info; every other command prints its results and logs only warnings by default.
  let isServe = false
  const getContext = () => (ctx ??= createCliContext(process.env, isServe ? {} : { defaultLogLevel: 'warn' }))
  const program = await buildProgram(getContext)
  program.hook('preAction', (_program, action) => {
    isServe = action.name() === 'serve'
  })
  try {
    await program.parseAsync(argv)
    return 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode
    const code = (err as { code?: unknown }).code
    console.error(
      `error${typeof code === 'string' ? ` [${code}]` : ''}: ${(err as Error).message ?? String(err)}`,
    )
    if (program.opts<{ verbose?: boolean }>().verbose === true && err instanceof Error)
      console.error(err.stack)
    return 1
  } finally {
    await ctx?.close()
  }
}

// Exit explicitly: threaded wasm (used for training) leaves worker threads that would keep a finished command
// alive. `serve` never gets here while serving; its signal handlers end the process.
process.exit(await main(process.argv))
