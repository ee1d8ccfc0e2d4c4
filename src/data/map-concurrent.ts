import { OperationAbortedError } from './errors.js'

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight and returns results in input order.
 * The first rejection stops new calls and is rethrown once in-flight ones settle; an abort does the same
 * with OperationAbortedError.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { err: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      if (signal?.aborted) {
        failure ??= { err: new OperationAbortedError(signal.reason) }
        return
      }
      const index = next++
      try {
        results[index] = await fn(items[index] as T, index)
      } catch (err) {
        failure ??= { err }
      }
    }
  }
  const width = Math.max(1, Math.min(Math.floor(concurrency), items.length))
  await Promise.all(Array.from({ length: width }, worker))
  if (failure) throw failure.err
  return results
}
