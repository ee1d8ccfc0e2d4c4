import { describe, expect, test } from '../fixtures.js'
import { RecentUploads } from '../../src/api/recent-uploads.js'

describe('RecentUploads', () => {
  test('keeps the newest photos within its count and byte bounds, dropping the oldest first', () => {
    const recent = new RecentUploads(2, 10)
    recent.remember('a', Buffer.alloc(4, 1))
    recent.remember('b', Buffer.alloc(4, 2))
    recent.remember('c', Buffer.alloc(4, 3))
    expect([recent.get('a'), recent.get('b')?.[0], recent.get('c')?.[0]]).toEqual([undefined, 2, 3])
    // 4 + 8 bytes > 10: b goes, c stays alone with d
    recent.remember('d', Buffer.alloc(8, 4))
    expect([recent.get('b'), recent.get('c'), recent.get('d')?.[0]]).toEqual([undefined, undefined, 4])
    // a photo larger than the whole budget is not kept, and keeps nothing else from being kept
    recent.remember('huge', Buffer.alloc(11))
    expect([recent.get('huge'), recent.get('d')?.[0]]).toEqual([undefined, 4])
    // the same photo again replaces itself, not doubles the count
    recent.remember('d', Buffer.alloc(2, 5))
    recent.remember('e', Buffer.alloc(2, 6))
    expect([recent.get('d')?.[0], recent.get('e')?.[0]]).toEqual([5, 6])
  })
})
