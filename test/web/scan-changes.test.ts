import { describe, expect, it } from 'vitest'
import type { ApiClient } from '../../src/web/src/lib/api-client.js'
import {
  allowedCommands,
  applyScanCommand,
  describeScanChange,
  undoScanChange,
} from '../../src/web/src/lib/scan-changes.js'

/** Records the calls the commands make; only the methods they use exist. */
function recordingApi(calls: string[]): ApiClient {
  const api: Partial<ApiClient> = {
    correct: async (id, label) => {
      calls.push(`correct ${id} ${label}`)
      return 7
    },
    undoCorrection: async (id, correctionId, wasFlagged) => {
      calls.push(`undo ${id} ${correctionId} ${String(wasFlagged)}`)
    },
    setFlag: async (id, isFlagged) => {
      calls.push(`flag ${id} ${String(isFlagged)}`)
    },
    deletePrediction: async (id) => {
      calls.push(`delete ${id}`)
    },
    restorePrediction: async (id) => {
      calls.push(`restore ${id}`)
    },
  }
  return api as ApiClient
}

const scan = { id: 'p1', filename: 'ball.jpg', isFlagged: true }

describe('scan changes', () => {
  it('offers correcting to reviewers and deleting to admins only', () => {
    expect(allowedCommands({ role: 'viewer' })).toEqual({ canReview: false, canDelete: false })
    expect(allowedCommands({ role: 'reviewer' })).toEqual({ canReview: true, canDelete: false })
    expect(allowedCommands({ role: 'admin' })).toEqual({ canReview: true, canDelete: true })
    expect(allowedCommands({ role: null })).toEqual({ canReview: false, canDelete: false })
  })

  it('undoes a correction by its id, putting back the flag it cleared', async () => {
    const calls: string[] = []
    const api = recordingApi(calls)
    const change = await applyScanCommand(api, scan, { kind: 'correct', label: 'golf_ball' })
    expect(describeScanChange(change)).toBe('ball.jpg corrected to Golf ball; stock moved.')
    await undoScanChange(api, change)
    expect(calls).toEqual(['correct p1 golf_ball', 'undo p1 7 true'])
  })

  it('undoes a flag by flipping it back and a delete by restoring the scan', async () => {
    const calls: string[] = []
    const api = recordingApi(calls)
    const flag = await applyScanCommand(api, scan, { kind: 'flag', isFlagged: false })
    await undoScanChange(api, flag)
    expect(calls).toEqual(['flag p1 false', 'flag p1 true'])
    const deleted = await applyScanCommand(api, scan, { kind: 'delete' })
    expect(describeScanChange(deleted)).toBe('ball.jpg deleted.')
    await undoScanChange(api, deleted)
    expect(calls.slice(2)).toEqual(['delete p1', 'restore p1'])
  })
})
