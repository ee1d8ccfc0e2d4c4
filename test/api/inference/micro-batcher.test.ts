import { describe, expect, it } from 'vitest'
import {
  BatchResultMismatchError,
  BatcherClosedError,
  MicroBatcher,
} from '../../../src/api/inference/index.js'

/** A batch function that doubles numbers, records every batch it got and refuses negative numbers. */
function doubler(options: { delay?: () => Promise<void> } = {}) {
  const batches: number[][] = []
  let running = 0
  let maxRunning = 0
  const run = async (items: number[]) => {
    batches.push([...items])
    running++
    maxRunning = Math.max(maxRunning, running)
    try {
      await options.delay?.()
      const bad = items.find((n) => n < 0)
      if (bad !== undefined) throw new Error(`negative: ${bad}`)
      return items.map((n) => n * 2)
    } finally {
      running--
    }
  }
  return { run, batches, maxRunning: () => maxRunning }
}

describe('MicroBatcher', () => {
  it('runs items submitted in the same turn as one batch and answers each its own result, in order', async () => {
    const d = doubler()
    const batcher = new MicroBatcher({ run: d.run, maxBatchSize: 16, windowMs: 0 })
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)))
    expect(results).toEqual([2, 4, 6, 8, 10])
    expect(d.batches).toEqual([[1, 2, 3, 4, 5]])
  })

  it('flushes as soon as a batch is full, without waiting for the window', async () => {
    const d = doubler()
    // A window no test would wait for: only the size can flush these.
    const batcher = new MicroBatcher({ run: d.run, maxBatchSize: 3, windowMs: 600_000 })
    const full = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)))
    expect(full).toEqual([2, 4, 6])
    const rest = [4, 5, 6, 7].map((n) => batcher.submit(n))
    await rest[2]
    expect(batcher.pending).toBe(1)
    await batcher.close()
    expect(await Promise.all(rest)).toEqual([8, 10, 12, 14])
    expect(d.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]])
  })

  it('flushes a partial batch when the window ends', async () => {
    const d = doubler()
    const batcher = new MicroBatcher({ run: d.run, maxBatchSize: 100, windowMs: 5 })
    expect(await Promise.all([batcher.submit(1), batcher.submit(2)])).toEqual([2, 4])
    expect(d.batches).toEqual([[1, 2]])
  })

  it('isolates a failing item: its neighbours still get their results', async () => {
    const d = doubler()
    const batcher = new MicroBatcher({ run: d.run, maxBatchSize: 8, windowMs: 0 })
    const outcomes = await Promise.allSettled([1, -1, 2].map((n) => batcher.submit(n)))
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 2 })
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { message: 'negative: -1' } })
    expect(outcomes[2]).toEqual({ status: 'fulfilled', value: 4 })
    // The batch, then each item alone.
    expect(d.batches).toEqual([[1, -1, 2], [1], [-1], [2]])
  })

  it('rejects every item of a batch that answers the wrong number of results', async () => {
    const batcher = new MicroBatcher<number, number>({
      run: async (items) => items.slice(1),
      maxBatchSize: 4,
      windowMs: 0,
    })
    const outcomes = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)))
    for (const o of outcomes) {
      expect(o.status).toBe('rejected')
      if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(BatchResultMismatchError)
    }
  })

  it('loses no item under many concurrent submissions, keeps batches within the size and one run at a time', async () => {
    const d = doubler({ delay: () => new Promise((resolve) => setImmediate(resolve)) })
    const batcher = new MicroBatcher({ run: d.run, maxBatchSize: 8, windowMs: 0 })
    const items = Array.from({ length: 200 }, (_, i) => i)
    // Submitted in waves, as requests arrive over several turns.
    const pending: Array<Promise<number>> = []
    for (const n of items) {
      pending.push(batcher.submit(n))
      if (n % 13 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await Promise.all(pending)).toEqual(items.map((n) => n * 2))
    expect(d.batches.flat().sort((a, b) => a - b)).toEqual(items)
    expect(Math.max(...d.batches.map((b) => b.length))).toBeLessThanOrEqual(8)
    // Items queued while a batch runs are gathered: fewer runs than items.
    expect(d.batches.length).toBeLessThan(items.length)
    expect(d.maxRunning()).toBe(1)
  })

  it('after close, finishes what was queued and refuses new items', async () => {
    const d = doubler()
    const batcher = new MicroBatcher({ run: d.run, maxBatchSize: 8, windowMs: 600_000 })
    const queued = batcher.submit(21)
    await batcher.close()
    expect(await queued).toBe(42)
    await expect(batcher.submit(1)).rejects.toBeInstanceOf(BatcherClosedError)
  })
})
