import { type PipelineRunRow, type Queryable, selectRecentPipelineRuns } from '../db/index.js'

/** The most recent pipeline runs, newest first. */
export async function listPipelineRuns(db: Queryable, limit = 20): Promise<PipelineRunRow[]> {
  return selectRecentPipelineRuns(db, limit)
}
