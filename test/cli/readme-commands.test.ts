import { readFile } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'
import { buildProgram } from '../../src/cli/program.js'

/** Thrown by the context getter: reaching it means the command line parsed and its action started. */
class ActionReached extends Error {}

/** The `sportscan …` command lines of the README's Command line section, placeholders filled. */
async function readmeCommands(): Promise<string[][]> {
  const readme = await readFile('README.md', 'utf8')
  const section = readme.slice(readme.indexOf('## Command line'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
  const joined = block.replace(/\\\n\s*/g, ' ')
  return joined
    .split('\n')
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .flatMap((line) => line.split(/\s;\s/))
    .map((command) => command.trim())
    .filter((command) => command.startsWith('sportscan '))
    .map((command) =>
      command
        .replace(/<version>/g, '0123456789ab')
        .split(/\s+/)
        .slice(1),
    )
}

describe("the README's Command line section", () => {
  it('lists commands the CLI accepts as written (arguments and required options)', async () => {
    const commands = await readmeCommands()
    expect(commands.length).toBeGreaterThan(12)
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      for (const args of commands) {
        const program = await buildProgram(() => {
          throw new ActionReached()
        })
        const outcome = await program.parseAsync(['node', 'sportscan', ...args]).then(
          () => 'ran',
          (err: unknown) => (err instanceof ActionReached ? 'ran' : err),
        )
        expect(outcome, `sportscan ${args.join(' ')}`).toBe('ran')
      }
    } finally {
      stdout.mockRestore()
    }
  })
})
