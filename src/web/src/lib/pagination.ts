/**
 * Cursor pagination state for GET /history: the API only gives a cursor forwards, so the pager keeps the
 * cursors of the pages already seen to go back.
 */
export interface PagerState {
  /** Cursor of each page before the current one; the first page has cursor null. */
  readonly previous: readonly (string | null)[]
  readonly cursor: string | null
  readonly pageSize: number
}

export function createPager(pageSize: number): PagerState {
  return { previous: [], cursor: null, pageSize }
}

export function goToNextPage(state: PagerState, nextCursor: string | null): PagerState {
  if (nextCursor === null) return state
  return { ...state, previous: [...state.previous, state.cursor], cursor: nextCursor }
}

export function goToPreviousPage(state: PagerState): PagerState {
  if (state.previous.length === 0) return state
  return {
    ...state,
    previous: state.previous.slice(0, -1),
    cursor: state.previous[state.previous.length - 1] ?? null,
  }
}

export function hasPreviousPage(state: PagerState): boolean {
  return state.previous.length > 0
}

/** 1-based positions of the rows shown, for "21–40 of 95"; `first` is 0 when the page is empty. */
export function pageRange(state: PagerState, itemCount: number): { first: number; last: number } {
  const offset = state.previous.length * state.pageSize
  return itemCount === 0 ? { first: 0, last: 0 } : { first: offset + 1, last: offset + itemCount }
}
