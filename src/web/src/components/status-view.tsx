import type { ComponentChildren } from 'preact'
import { describeError } from '../lib/errors.js'
import type { AsyncState } from '../use-async.js'

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="alert alert--error" role="alert">
      <p>{describeError(error)}</p>
      {onRetry !== undefined && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  )
}

/** Loading text, an error with retry, or the loaded content. */
export function AsyncView<T>({
  state,
  what,
  onRetry,
  children,
}: {
  state: AsyncState<T>
  what: string
  onRetry: () => void
  children: (data: T) => ComponentChildren
}) {
  if (state.status === 'loading') return <Loading what={what} />
  if (state.status === 'error') return <ErrorMessage error={state.error} onRetry={onRetry} />
  return <>{children(state.data)}</>
}
