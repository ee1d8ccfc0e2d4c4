import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from '../fixtures.js'
import { openDatabase, PgliteInUseError } from '../../src/db/index.js'

describe('embedded database lock', () => {
  test('a second open of the same folder fails fast while the first is open, and works after close', async ({
    tmpDir,
    log,
  }) => {
    const dir = path.join(tmpDir, 'db')
    const first = await openDatabase({ driver: 'pglite', dir }, log)
    await expect(openDatabase({ driver: 'pglite', dir }, log)).rejects.toBeInstanceOf(PgliteInUseError)
    await first.close()
    const again = await openDatabase({ driver: 'pglite', dir }, log)
    await expect(again.ping()).resolves.toBeUndefined()
    await again.close()
  })

  test('refuses a folder whose lock names another live process', async ({ tmpDir, log }) => {
    const dir = path.join(tmpDir, 'db')
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: process.ppid }))
    const error = await openDatabase({ driver: 'pglite', dir }, log).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(PgliteInUseError)
    expect((error as PgliteInUseError).message).toContain(`process ${process.ppid}`)
  })

  test('takes over a lock left by a process that died', async ({ tmpDir, log }) => {
    const dir = path.join(tmpDir, 'db')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    })
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: Number(dead.stdout) }))
    const handle = await openDatabase({ driver: 'pglite', dir }, log)
    await expect(handle.ping()).resolves.toBeUndefined()
    await handle.close()
  })
})
