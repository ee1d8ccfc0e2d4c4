#!/usr/bin/env node
import { Command, CommanderError } from 'commander'
import { createCliContext, type CliContext } from './context.js'

/** Each command file adds its sub-commands; this list is the CLI's table of contents. */
const commandModules: Array<() => Promise<{ register(program: Command, ctx: () => CliContext): void }>> = [
  () => import('./commands/models.js'),
  () => import('./commands/models-export.js'), // after models.js: adds `export` to its `models` group
  () => import('./commands/pipeline.js'),
  // after pipeline.js: adds `render` to its `pipeline` group
  () => import('./commands/pipeline-render.js'),
  () => import('./commands/data.js'),
  () => import('./commands/data-feedback.js'), // after data.js: adds `export-feedback` to its `data` group
  () => import('./commands/retrain.js'),
  () => import('./commands/serve.js'),
  () => import('./commands/evaluate.js'),
  () => import('./commands/keys.js'),
]

async function main(argv: string[]): Promise<number> {
  let ctx: CliContext | undefined
  // `serve` logs requests at info; every other command prints its results and logs only warnings by default.
  let isServe = false
  const getContext = () => (ctx ??= createCliContext(process.env, isServe ? {} : { defaultLogLevel: 'warn' }))
  const program = new Command('sportscan')
    .description('Recognise sports balls in photos: data, training pipeline, model registry, API.')
    .option('--verbose', 'print the stack trace of an error after its message')
    .showHelpAfterError()
    .exitOverride()
  program.hook('preAction', (_program, action) => {
    isServe = action.name() === 'serve'
  })
  for (const load of commandModules) (await load()).register(program, getContext)
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
