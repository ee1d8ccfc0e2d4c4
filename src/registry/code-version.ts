import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

// src/registry/ and dist/registry/ both sit two levels below the package root.
const packageRoot = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The code version recorded with models and pipeline runs: the configured one when set (container images
 * have no .git), else the git SHA of the checkout, else `unknown`.
 */
export async function resolveCodeVersion(
  options: { configured?: string | null; cwd?: string } = {},
): Promise<string> {
  if (options.configured) return options.configured
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', 'HEAD'], {
      cwd: options.cwd ?? packageRoot,
      timeout: 5_000,
    })
    const sha = stdout.trim()
    if (/^[0-9a-f]{40}$/.test(sha)) return sha
  } catch {
    // No git binary or not a checkout: a known, explicit fallback below.
  }
  return 'unknown'
}
