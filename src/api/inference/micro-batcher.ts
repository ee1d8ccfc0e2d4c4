import { BatchResultMismatchError, BatcherClosedError } from './errors.js'

export interface MicroBatcherOptions<I, O> {
  /** Runs one batch; must answer one result per item, in order. */
  run: (items: I[]) => Promise<O[]>
  /** Largest batch handed to `run`; a full queue flushes at once. */
  maxBatchSize: number
  /**
   * How long the first queued item waits for company before its batch runs anyway. 0 still gathers what
   * arrives in the same event-loop turn (setImmediate), which costs no latency.
   */
  windowMs: number
  /** Batches allowed to run at once; further items queue (and so batch up) while these run. Default 1. */
  maxInFlight?: number
  /** Called as each batch starts, with its size and the batches running (itself included): for metrics. */
  onBatch?: (size: number, inFlight: number) => void
}

interface Pending<I, O> {
  item: I
  resolve: (value: O) => void
  reject: (err: unknown) => void
}

/**
 * Gathers items submitted close together into one `run` call, as model servers do (Triton's dynamic
 * batcher): adaptive, because while a batch runs the next one fills up, so batches grow with the load and
 * stay at one item when requests come one by one. If a batch fails, its items are retried one by one, so
 * a bad item fails alone and never takes its neighbours down with it.
 */
export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = []
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined
  private inFlight = 0
  private idleWaiters: Array<() => void> = []
  private isClosed = false
  private readonly maxInFlight: number

  constructor(private readonly options: MicroBatcherOptions<I, O>) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1)
  }

  /** Queues one item; resolves with its own result or rejects with its own error. */
  submit(item: I): Promise<O> {
    if (this.isClosed) return Promise.reject(new BatcherClosedError())
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (this.queue.length >= this.options.maxBatchSize) this.flush()
      else this.timer ??= this.startTimer()
    })
  }

  /** Items waiting for a batch (not counting those running). */
  get pending(): number {
    return this.queue.length
  }

  /** Refuses new items, runs everything already queued, and resolves once no batch is running. */
  async close(): Promise<void> {
    this.isClosed = true
    while (this.queue.length > 0 || this.inFlight > 0) {
      this.flush()
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
    }
  }

  private startTimer(): NodeJS.Timeout | NodeJS.Immediate {
    const fire = () => {
      this.timer = undefined
      this.flush()
    }
    return this.options.windowMs > 0 ? setTimeout(fire, this.options.windowMs) : setImmediate(fire)
  }

  private clearTimer(): void {
    if (this.timer === undefined) return
    clearTimeout(this.timer as NodeJS.Timeout)
    clearImmediate(this.timer as NodeJS.Immediate)
    this.timer = undefined
  }

  /** Starts as many batches as the in-flight limit allows; the rest wait for a running batch to end. */
  private flush(): void {
    this.clearTimer()
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.options.maxBatchSize)
      this.inFlight++
      this.options.onBatch?.(batch.length, this.inFlight)
      void this.runBatch(batch).finally(() => {
        this.inFlight--
        // What queued meanwhile goes now: waiting longer would only add latency, the batch is already full
        // of everything that arrived while the runtime was busy.
        if (this.queue.length > 0) this.flush()
        if (this.queue.length === 0 && this.inFlight === 0) this.wakeIdle()
      })
    }
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const wake of waiters) wake()
  }

  private async runBatch(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const results = await this.runChecked(batch.map((p) => p.item))
      batch.forEach((p, i) => p.resolve(results[i] as O))
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err)
        return
      }
      // Find the culprit(s): each item alone gets its own answer.
      await Promise.all(
        batch.map(async (p) => {
          try {
            const [result] = await this.runChecked([p.item])
            p.resolve(result as O)
          } catch (itemErr) {
            p.reject(itemErr)
          }
        }),
      )
    }
  }

  private async runChecked(items: I[]): Promise<O[]> {
    const results = await this.options.run(items)
    if (results.length !== items.length) throw new BatchResultMismatchError(items.length, results.length)
    return results
  }
}
