import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export type AsyncState<T> =
  { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; error: unknown }

/**
 * Runs `load` whenever `deps` change; answers of superseded runs are dropped, so a slow old request
 * never overwrites the result of a newer filter.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' })
  const [reloads, setReloads] = useState(0)
  const run = useRef(0)
  useEffect(() => {
    const current = ++run.current
    setState({ status: 'loading' })
    load().then(
      (data) => {
        if (current === run.current) setState({ status: 'ok', data })
      },
      (error: unknown) => {
        if (current === run.current) setState({ status: 'error', error })
      },
    )
  }, [...deps, reloads]) // callers list in `deps` what `load` reads
  const reload = useCallback(() => setReloads((n) => n + 1), [])
  return [state, reload]
}
