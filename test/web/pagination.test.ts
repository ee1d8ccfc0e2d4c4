import { describe, expect, it } from 'vitest'
import {
  createPager,
  goToNextPage,
  goToPreviousPage,
  hasPreviousPage,
  pageRange,
} from '../../src/web/src/lib/pagination.js'

describe('cursor pager', () => {
  it('walks forwards and back through the cursors it has seen', () => {
    let pager = createPager(20)
    expect(hasPreviousPage(pager)).toBe(false)
    pager = goToNextPage(pager, 'c1')
    pager = goToNextPage(pager, 'c2')
    expect(pager.cursor).toBe('c2')
    expect(pageRange(pager, 20)).toEqual({ first: 41, last: 60 })
    pager = goToPreviousPage(pager)
    expect(pager.cursor).toBe('c1')
    pager = goToPreviousPage(pager)
    expect(pager.cursor).toBeNull()
    expect(hasPreviousPage(pager)).toBe(false)
  })

  it('stays put at either end', () => {
    const first = createPager(10)
    expect(goToPreviousPage(first)).toBe(first)
    expect(goToNextPage(first, null)).toBe(first)
  })

  it('reports an empty page as 0–0 and a short last page exactly', () => {
    const pager = goToNextPage(createPager(10), 'c1')
    expect(pageRange(pager, 0)).toEqual({ first: 0, last: 0 })
    expect(pageRange(pager, 3)).toEqual({ first: 11, last: 13 })
  })
})
