import type { Config } from '../config/index.js'
import type { DatabaseHandle } from '../db/index.js'
import type { Logger } from '../log/index.js'
import type { ApiMetrics } from './plugins/metrics.js'
import type { ModelProvider } from './model-holder.js'
import type { RecentUploads } from './recent-uploads.js'
import type { ScanWriter } from './scan-writer.js'

/** What every route plugin receives from buildApp: configuration and the shared services. */
export interface ApiContext {
  config: Readonly<Config>
  db: DatabaseHandle
  models: ModelProvider
  log: Logger
  metrics: ApiMetrics
  /** Photos of the latest scans, for heatmaps when photos are not kept on disk. */
  recentUploads: RecentUploads
  /** Stores scans, several per statement when they are ready together. */
  scans: ScanWriter
}
