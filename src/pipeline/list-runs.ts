import type { PipelineRunRow, Queryable } from '../db/index.js'
import { selectRecentPipelineRuns } from '../db/queries/pipeline-runs.js'

/** The most recent pipeline runs, newest first. */
export async function listPipelineRuns(db: Queryable, limit = 20): Promise<PipelineRunRow[]> {
  return selectRecentPipelineRuns(db, limit)
}
