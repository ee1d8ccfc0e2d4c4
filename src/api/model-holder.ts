import type { Classifier } from '../model/index.js'
import type { Logger } from '../log/index.js'
import type { ServedModel } from '../registry/index.js'
import { ModelNotLoadedError } from './errors.js'

/** Where the model to serve lives and how it answers, as the registry's resolver says. */
export type ModelSource = ServedModel

/** A classifier checked out for one request: it stays alive (not disposed) until released. */
export interface ModelLease {
  readonly classifier: Classifier
  release(): void
}

/** What routes need from model serving. */
export interface ModelProvider {
  /** The model answering now, undefined before the first successful load. */
  current(): { classifier: Classifier; source: ModelSource } | undefined
  /** Checks the current model out for one request; throws ModelNotLoadedError when there is none. */
  acquire(): ModelLease
}

export interface ModelHolderOptions {
  locate: () => Promise<ModelSource>
  load: (source: ModelSource) => Promise<Classifier>
  log: Logger
}

interface Entry {
  classifier: Classifier
  source: ModelSource
  leases: number
  isRetired: boolean
}

/**
 * Holds the served model and swaps it when the registry's alias moves. Requests lease the model, so a swap
 * never pulls it from under an in-flight prediction: the old one is disposed when its last lease is released.
 */
export class ModelHolder implements ModelProvider {
  private entry: Entry | undefined
  private refreshing: Promise<boolean> = Promise.resolve(false)
  private stopWatching: Array<() => Promise<void>> = []
  private isClosed = false

  constructor(private readonly options: ModelHolderOptions) {}

  current() {
    return this.entry ? { classifier: this.entry.classifier, source: this.entry.source } : undefined
  }

  acquire(): ModelLease {
    const entry = this.entry
    if (!entry) throw new ModelNotLoadedError()
    entry.leases++
    let isReleased = false
    return {
      classifier: entry.classifier,
      release: () => {
        if (isReleased) return
        isReleased = true
        entry.leases--
        this.disposeIfIdle(entry)
      },
    }
  }

  /**
   * Loads the model the locator points at, if it differs from the one served. Calls are serialised, so a
   * burst of notifications loads at most one model at a time. Resolves to whether the model changed.
   */
  refresh(): Promise<boolean> {
    const next = this.refreshing.catch(() => false).then(() => this.refreshOnce())
    this.refreshing = next
    return next
  }

  /**
   * Reloads on NOTIFY (`listen`) and, as a fallback for missed notifications or a lost LISTEN connection,
   * every `pollMs`. Failures are logged and the current model keeps serving.
   */
  async watch(options: {
    listen?: (onPayload: (payload: string) => void) => Promise<() => Promise<void>>
    pollMs: number
  }): Promise<void> {
    const onChange = (why: string) => {
      void this.refresh().catch((err: unknown) => this.options.log.error({ err, why }, 'model reload failed'))
    }
    if (options.listen) {
      try {
        this.stopWatching.push(await options.listen(() => onChange('notify')))
      } catch (err) {
        this.options.log.warn({ err }, 'cannot LISTEN for alias changes; relying on polling')
      }
    }
    const timer = setInterval(() => onChange('poll'), options.pollMs)
    timer.unref()
    this.stopWatching.push(async () => clearInterval(timer))
  }

  /** Stops watching and disposes the model once in-flight requests have released it. */
  async close(): Promise<void> {
    this.isClosed = true
    await Promise.all(this.stopWatching.map((stop) => stop().catch(() => undefined)))
    this.stopWatching = []
    await this.refreshing.catch(() => undefined)
    const entry = this.entry
    this.entry = undefined
    if (entry) {
      entry.isRetired = true
      this.disposeIfIdle(entry)
    }
  }

  private async refreshOnce(): Promise<boolean> {
    if (this.isClosed) return false
    const source = await this.options.locate()
    if (this.entry?.source.key === source.key) return false
    const classifier = await this.options.load(source)
    if (this.isClosed) {
      await classifier.dispose()
      return false
    }
    const previous = this.entry
    this.entry = { classifier, source, leases: 0, isRetired: false }
    this.options.log.info(
      { model: classifier.ref, origin: source.origin, previous: previous?.classifier.ref },
      previous ? 'model swapped' : 'model loaded',
    )
    if (previous) {
      previous.isRetired = true
      this.disposeIfIdle(previous)
    }
    return true
  }

  private disposeIfIdle(entry: Entry): void {
    if (!entry.isRetired || entry.leases > 0) return
    void entry.classifier
      .dispose()
      .catch((err: unknown) => this.options.log.warn({ err, model: entry.classifier.ref }, 'dispose failed'))
  }
}
