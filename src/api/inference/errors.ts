/** The batch function answered a different number of results than it was given items: a runtime bug. */
export class BatchResultMismatchError extends Error {
  readonly code = 'SPS_API_BATCH_RESULT_MISMATCH'
  constructor(expected: number, got: number) {
    super(`a batch of ${expected} items answered ${got} results`)
  }
}

/** The batcher was closed before this item could run. */
export class BatcherClosedError extends Error {
  readonly code = 'SPS_API_BATCHER_CLOSED'
  constructor() {
    super('the micro-batcher is closed')
  }
}
