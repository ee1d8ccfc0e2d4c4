/**
 * The bundled model before the last change to it, from git history, so bench:infer can print the model it
 * replaced beside it in the same run (same machine, same load).
 */
import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const BUNDLED = 'models/sports-ball-cnn'

/** Writes `models/sports-ball-cnn` as of `rev` (default: the commit before it last changed) into `dir`. */
export async function extractPreviousBundled(
  dir: string,
  rev?: string,
): Promise<{ dir: string; rev: string } | { skipped: string }> {
  try {
    const git = async (...args: string[]) =>
      (await run('git', args, { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 })).stdout as Buffer
    let at = rev
    if (at === undefined) {
      const last = (await git('log', '-n', '1', '--format=%H', '--', `${BUNDLED}/weights.bin`))
        .toString()
        .trim()
      if (last === '') return { skipped: 'git history has no bundled model' }
      at = `${last}^`
    }
    const sha = (await git('rev-parse', '--short', at)).toString().trim()
    const files = (await git('ls-tree', '--name-only', sha, `${BUNDLED}/`))
      .toString()
      .split('\n')
      .filter(Boolean)
    if (!files.some((f) => f.endsWith('/model.json')))
      return { skipped: `${BUNDLED} at ${sha} has no model.json` }
    await mkdir(dir, { recursive: true })
    for (const file of files)
      await writeFile(path.join(dir, path.basename(file)), await git('show', `${sha}:${file}`))
    return { dir, rev: sha }
  } catch (err) {
    return {
      skipped: `no git history here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
    }
  }
}
