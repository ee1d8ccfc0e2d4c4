import {
  BinsCsvInvalidError,
  formatBinsCsv,
  parseBinsCsv,
  summariseBinStock,
} from '../../src/putaway/index.js'
import { describe, expect, test } from '../fixtures.js'

describe('parseBinsCsv', () => {
  test('reads columns in any order, quoted fields, CRLF, comments and an optional capacity', () => {
    const csv =
      '\uFEFF# main warehouse\r\nbin,label,site\r\n"A3-B",basketball,main\r\n\r\nT1,"tennis_ball",main\r\n'
    expect(parseBinsCsv(csv)).toEqual([
      { site: 'main', ballLabel: 'basketball', binLabel: 'A3-B', capacity: null },
      { site: 'main', ballLabel: 'tennis_ball', binLabel: 'T1', capacity: null },
    ])
  })

  test('round-trips through formatBinsCsv', () => {
    const rows = [
      { site: 'main', ballLabel: 'basketball', binLabel: 'A3-B', capacity: 40 },
      { site: 'shop', ballLabel: 'golf_ball', binLabel: 'G/1', capacity: null },
    ]
    const csv = formatBinsCsv(rows.map((r) => ({ ...r, updatedBy: null, updatedAt: new Date(0) })))
    expect(csv).toBe('site,label,bin,capacity\nmain,basketball,A3-B,40\nshop,golf_ball,G/1,\n')
    expect(parseBinsCsv(csv)).toEqual(rows)
  })

  test.for([
    ['', /empty/],
    ['site,label\nmain,basketball', /missing bin/],
    [
      'site,label,bin\nmain,basketball,A1\nmain,basketball,A2',
      /line 3: basketball at site "main" is already assigned on line 2/,
    ],
    [
      'site,label,bin,capacity\nmain,basketball,A1,5\nmain,volleyball,A1,6',
      /line 3: bin "A1" .* has capacity 5 on line 2/,
    ],
    ['site,label,bin\nmain,basketball,"A1', /line 2: unbalanced quotes/],
    ['site,label,bin,capacity\nmain,basketball,A1,2.5', /line 2: capacity "2.5"/],
    ['site,label,bin\n-main,basketball,A1', /line 2: site "-main"/],
  ] as const)('refuses %j', ([csv, message]) => {
    expect(() => parseBinsCsv(csv)).toThrow(BinsCsvInvalidError)
    expect(() => parseBinsCsv(csv)).toThrow(message)
  })
})

describe('summariseBinStock', () => {
  test('adds per bin, lists empty bins, flags only counts above capacity', () => {
    const bins = [
      { site: 'main', label: 'A1', capacity: 2, createdAt: new Date(0), updatedAt: new Date(0) },
      { site: 'main', label: 'A2', capacity: 1, createdAt: new Date(0), updatedAt: new Date(0) },
      { site: 'main', label: 'A10', capacity: null, createdAt: new Date(0), updatedAt: new Date(0) },
    ]
    const lines = [
      { site: 'main', binLabel: 'A1', label: 'basketball', count: 2, shelved: 1 },
      { site: 'main', binLabel: 'A2', label: 'golf_ball', count: 1, shelved: 0 },
      { site: 'main', binLabel: 'A2', label: 'volleyball', count: 1, shelved: 1 },
      { site: null, binLabel: null, label: 'golf_ball', count: 3, shelved: 0 },
    ]
    expect(summariseBinStock(lines, bins)).toEqual([
      {
        site: 'main',
        bin: 'A1',
        capacity: 2,
        count: 2,
        shelved: 1,
        isOverCapacity: false,
        perLabel: { basketball: 2 },
      },
      {
        site: 'main',
        bin: 'A2',
        capacity: 1,
        count: 2,
        shelved: 1,
        isOverCapacity: true,
        perLabel: { golf_ball: 1, volleyball: 1 },
      },
      { site: 'main', bin: 'A10', capacity: null, count: 0, shelved: 0, isOverCapacity: false, perLabel: {} },
      {
        site: null,
        bin: null,
        capacity: null,
        count: 3,
        shelved: 0,
        isOverCapacity: false,
        perLabel: { golf_ball: 3 },
      },
    ])
  })
})
