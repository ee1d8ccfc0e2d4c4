import { desc, eq } from 'drizzle-orm'
import type { Queryable } from '../client.js'
import { pipelineRuns, type PipelineRunRow } from '../schema.js'

export type PipelineRunPatch = Partial<
  Pick<PipelineRunRow, 'status' | 'steps' | 'metrics' | 'error' | 'finishedAt'>
>

export async function insertPipelineRun(
  q: Queryable,
  run: { pipeline: string; params: Record<string, unknown> },
): Promise<PipelineRunRow> {
  const [row] = await q
    .insert(pipelineRuns)
    .values({ pipeline: run.pipeline, params: run.params, status: 'running' })
    .returning()
  if (!row) throw new Error('insert into pipeline_runs returned no row')
  return row
}

export async function updatePipelineRun(q: Queryable, id: string, patch: PipelineRunPatch): Promise<void> {
  await q.update(pipelineRuns).set(patch).where(eq(pipelineRuns.id, id))
}

export async function selectPipelineRun(q: Queryable, id: string): Promise<PipelineRunRow | undefined> {
  const [row] = await q.select().from(pipelineRuns).where(eq(pipelineRuns.id, id))
  return row
}

export async function selectRecentPipelineRuns(q: Queryable, limit: number): Promise<PipelineRunRow[]> {
  return q.select().from(pipelineRuns).orderBy(desc(pipelineRuns.startedAt)).limit(limit)
}
