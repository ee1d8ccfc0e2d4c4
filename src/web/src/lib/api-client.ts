import { decodeCapabilities, fillPath, NO_CAPABILITIES, type ApiCapabilities } from './capabilities.js'
import { ApiError, NetworkError } from './errors.js'
import { expectObject, isJsonObject, readNumber } from './json-reader.js'
import { decodeModels, type ModelVersion } from './models.js'
import {
  decodeCategories,
  decodeHistoryPage,
  decodePrediction,
  type HistoryPage,
  type Prediction,
} from './prediction.js'
import {
  buildHistoryQuery,
  buildReportQuery,
  withQuery,
  type HistoryFilters,
  type ReportFilters,
} from './query-string.js'
import { decodeStats, decodeStock, type Stats, type StockEntry } from './reports.js'
import {
  decodeDrift,
  decodeRetrainJob,
  decodeRetrainStatus,
  decodeReviewQueue,
  type Drift,
  type RetrainJob,
  type RetrainStatus,
  type ReviewQueue,
} from './review.js'
import { decodeServiceStatus, type ServiceStatus } from './service-status.js'
import {
  decodeAssignments,
  decodeBinStock,
  decodePutAway,
  decodeSites,
  type BinAssignment,
  type BinStock,
  type PutAway,
  type Sites,
} from './put-away.js'

export interface ApiClientOptions {
  /** Prefix of every API path; '' when the dashboard is served by the API itself. */
  baseUrl?: string
  fetch?: typeof fetch
  /** Read on every request, so signing in or out applies at once. */
  getApiKey?: () => string | null
}

export interface ApiClient {
  /** `site`: whose bins answer (the server's default site when empty or left out). */
  predict(file: Blob, filename: string, location: string, site?: string): Promise<Prediction>
  /** One stored scan, as it stands now (after corrections). */
  prediction(id: string): Promise<Prediction>
  history(
    filters: Readonly<HistoryFilters>,
    page: { limit: number; cursor: string | null },
  ): Promise<HistoryPage>
  historyCsvUrl(filters: Readonly<HistoryFilters>): string
  categories(): Promise<string[]>
  stock(): Promise<StockEntry[]>
  stats(filters: Readonly<ReportFilters>): Promise<Stats>
  models(): Promise<ModelVersion[]>
  health(): Promise<ServiceStatus>
  capabilities(): Promise<ApiCapabilities>
  /** The Grad-CAM overlay of a stored prediction, or null when the server has none for it. */
  explanation(predictionId: string): Promise<Blob | null>
  /** URL of a kept scan photo (for `<img>`), or null when the server does not keep them. */
  imageUrl(prediction: Pick<Prediction, 'id' | 'imageUrl'>, capabilities: ApiCapabilities): string | null
  /** Makes a model version production; throws ApiError when the server refuses. */
  promote(model: Pick<ModelVersion, 'name' | 'version' | 'ref'>, capabilities: ApiCapabilities): Promise<void>
  /** Downloads a file with the API key attached (a plain link cannot send the header). */
  download(url: string): Promise<Blob>
  reviewQueue(limit: number): Promise<ReviewQueue>
  /** Records the right label (or `not_a_ball`) for a scan; answers the correction's id (for undo). */
  correct(predictionId: string, label: string): Promise<number>
  /** Undoes a scan's latest correction; `wasFlagged` restores the flag the correction cleared. */
  undoCorrection(predictionId: string, correctionId: number, wasFlagged: boolean): Promise<void>
  /** Sends a scan to the review queue (`true`) or takes it out again (`false`). */
  setFlag(predictionId: string, isFlagged: boolean): Promise<void>
  /** Deletes a scan; restorePrediction undoes it (the server keeps deleted scans for 30 days). */
  deletePrediction(predictionId: string): Promise<void>
  restorePrediction(predictionId: string): Promise<void>
  /** Drift per day (share below threshold, distance from the training mix); null if not reported. */
  drift(filters: Readonly<ReportFilters>): Promise<Drift | null>
  retrainStatus(): Promise<RetrainStatus>
  startRetrain(): Promise<RetrainJob>
  // Put-away (bins per site, shelving confirmations).
  sites(): Promise<Sites>
  binAssignments(site: string): Promise<BinAssignment[]>
  /** Assigns a ball type to a bin; `capacity` undefined keeps the bin's, null removes the limit. */
  setBin(site: string, label: string, bin: string, capacity?: number | null): Promise<void>
  deleteBin(site: string, label: string): Promise<void>
  /** Loads a CSV plan; answers how many assignments it wrote. */
  importBins(csv: string, replace: boolean): Promise<number>
  binsCsvUrl(site: string): string
  /** Records that a scanned ball was shelved: in its bin, or in `bin` when it went elsewhere. */
  confirmPutAway(predictionId: string, bin?: string): Promise<PutAway>
  stockByBin(site: string): Promise<BinStock[]>
}

const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'The server could not use that request.',
  401: 'Sign in with an API key to do this.',
  403: 'Your API key is not allowed to do this.',
  404: 'Not found.',
  413: 'That file is too large.',
  415: 'That file is not a supported image.',
  429: 'Too many requests; wait a moment and try again.',
  503: 'The server is not ready (model or database unavailable). Try again shortly.',
}

/** Turns a non-2xx answer into an ApiError, keeping the server's `{ code, message }` when it sent one. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = null // not JSON (a proxy's HTML page): fall back to the status text below
  }
  const fallback =
    STATUS_MESSAGES[response.status] ??
    (response.status >= 500 ? 'The server had a problem. Try again.' : `Request failed (${response.status}).`)
  const code =
    isJsonObject(body) && typeof body['code'] === 'string' ? body['code'] : `HTTP_${response.status}`
  // A 500 says only "Internal Server Error" by design (the server logs the detail), so the friendly text
  // reads better; a 503 explains what is unavailable.
  const hasUsefulMessage = response.status < 500 || response.status === 503
  const message =
    hasUsefulMessage && isJsonObject(body) && typeof body['message'] === 'string' && body['message'] !== ''
      ? body['message']
      : fallback
  return new ApiError(response.status, code, message)
}

function promoteValues(model: Pick<ModelVersion, 'name' | 'version' | 'ref'>): Record<string, string> {
  return {
    name: model.name,
    version: model.version,
    id: model.ref,
    ref: model.ref,
    model: model.ref,
    alias: 'production',
  }
}

/** Only the properties the route documents: the server rejects unknown body fields. */
function promoteBody(model: Pick<ModelVersion, 'name' | 'version' | 'ref'>, keys: readonly string[]) {
  const values: Record<string, string | number> = {
    ...promoteValues(model),
    version: Number.isInteger(Number(model.version)) ? Number(model.version) : model.version,
  }
  return Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]))
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? ''
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis)
  /** Cached per API key: the role it reports changes when someone signs in or out. */
  let capabilities: { key: string | null; answer: Promise<ApiCapabilities> } | null = null

  async function send(path: string, init: RequestInit = {}, accept = 'application/json'): Promise<Response> {
    const headers = new Headers(init.headers)
    // Explicit JSON accept: the server answers text/html requests for page paths with the dashboard.
    headers.set('Accept', accept)
    const key = options.getApiKey?.() ?? null
    if (key !== null) headers.set('Authorization', `Bearer ${key}`)
    let response: Response
    try {
      response = await fetchFn(`${baseUrl}${path}`, { ...init, headers })
    } catch (cause) {
      throw new NetworkError(cause)
    }
    if (!response.ok) throw await toApiError(response)
    return response
  }

  async function getJson(path: string): Promise<unknown> {
    const response = await send(path)
    return response.json()
  }

  function readCapabilitiesOnce(): Promise<ApiCapabilities> {
    const key = options.getApiKey?.() ?? null
    if (capabilities === null || capabilities.key !== key) {
      // A server that cannot say (an older one) gets no optional features rather than failing requests.
      const answer = getJson('/capabilities').then(decodeCapabilities, () => ({ ...NO_CAPABILITIES }))
      capabilities = { key, answer }
    }
    return capabilities.answer
  }

  return {
    async predict(file, filename, location, site) {
      const form = new FormData()
      if (location.trim() !== '') form.append('location', location.trim())
      if (site !== undefined && site.trim() !== '') form.append('site', site.trim())
      // The file goes last: multipart readers see the text fields before streaming the upload.
      form.append('img', file, filename)
      const response = await send('/predict', { method: 'POST', body: form })
      return decodePrediction(await response.json())
    },
    async prediction(id) {
      return decodePrediction(await getJson(`/predictions/${encodeURIComponent(id)}`))
    },
    async history(filters, page) {
      return decodeHistoryPage(await getJson(withQuery('/history', buildHistoryQuery(filters, page))))
    },
    historyCsvUrl(filters) {
      return `${baseUrl}${withQuery('/history.csv', buildHistoryQuery(filters))}`
    },
    async categories() {
      return decodeCategories(await getJson('/categories'))
    },
    async stock() {
      return decodeStock(await getJson('/stock'))
    },
    async stats(filters) {
      return decodeStats(await getJson(withQuery('/stats', buildReportQuery(filters))))
    },
    async models() {
      return decodeModels(await getJson('/models'))
    },
    async health() {
      return decodeServiceStatus(await getJson('/health'))
    },
    capabilities: readCapabilitiesOnce,
    async explanation(predictionId) {
      const caps = await readCapabilitiesOnce()
      const path = caps.explainPath === null ? null : fillPath(caps.explainPath, { id: predictionId })
      if (path === null) return null
      try {
        const response = await send(path, {}, 'image/png,image/*')
        const blob = await response.blob()
        return blob.type.startsWith('image/') ? blob : null
      } catch (error) {
        // The overlay is optional: a scan without one (404) still shows its result.
        if (error instanceof ApiError && (error.status === 404 || error.status === 501)) return null
        throw error
      }
    },
    imageUrl(prediction, caps) {
      // The server says whether it keeps photos; without them every photo link would be a 404.
      if (caps.imagePath === null) return null
      if (prediction.imageUrl !== null) return `${baseUrl}${prediction.imageUrl}`
      const path = fillPath(caps.imagePath, { id: prediction.id })
      return path === null ? null : `${baseUrl}${path}`
    },
    async promote(model, caps) {
      const route = caps.promote
      const path = route === null ? null : fillPath(route.path, promoteValues(model))
      if (route === null || path === null) {
        throw new ApiError(501, 'SPS_WEB_PROMOTE_UNSUPPORTED', 'This server cannot promote models yet.')
      }
      const init: RequestInit = { method: route.method }
      if (route.bodyKeys.length > 0) {
        init.headers = { 'Content-Type': 'application/json' }
        init.body = JSON.stringify(promoteBody(model, route.bodyKeys))
      }
      await send(path, init)
    },
    async download(url) {
      const response = await send(url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url, {}, '*/*')
      return response.blob()
    },
    async reviewQueue(limit) {
      return decodeReviewQueue(await getJson(`/review?limit=${limit}`))
    },
    async correct(predictionId, label) {
      const response = await send(`/predictions/${encodeURIComponent(predictionId)}/correction`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ label }),
      })
      return decodeCorrectionId(await response.json())
    },
    async undoCorrection(predictionId, correctionId, wasFlagged) {
      const path = `/predictions/${encodeURIComponent(predictionId)}/corrections/${correctionId}`
      await send(`${path}?was_flagged=${String(wasFlagged)}`, { method: 'DELETE' })
    },
    async setFlag(predictionId, isFlagged) {
      await send(`/predictions/${encodeURIComponent(predictionId)}/flag`, {
        method: isFlagged ? 'POST' : 'DELETE',
      })
    },
    async deletePrediction(predictionId) {
      await send(`/predictions/${encodeURIComponent(predictionId)}`, { method: 'DELETE' })
    },
    async restorePrediction(predictionId) {
      await send(`/predictions/${encodeURIComponent(predictionId)}/restore`, { method: 'POST' })
    },
    async drift(filters) {
      return decodeDrift(await getJson(withQuery('/stats', buildReportQuery(filters))))
    },
    async retrainStatus() {
      return decodeRetrainStatus(await getJson('/retrain'))
    },
    async startRetrain() {
      const response = await send('/retrain', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      })
      return decodeRetrainJob(await response.json())
    },
    async sites() {
      return decodeSites(await getJson('/sites'))
    },
    async binAssignments(site) {
      return decodeAssignments(await getJson(withQuery('/bins', new URLSearchParams({ site }).toString())))
    },
    async setBin(site, label, bin, capacity) {
      await send(`/bins/${encodeURIComponent(site)}/${encodeURIComponent(label)}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(capacity === undefined ? { bin } : { bin, capacity }),
      })
    },
    async deleteBin(site, label) {
      await send(`/bins/${encodeURIComponent(site)}/${encodeURIComponent(label)}`, { method: 'DELETE' })
    },
    async importBins(csv, replace) {
      const response = await send(replace ? '/bins/import?replace=1' : '/bins/import', {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: csv,
      })
      const body: unknown = await response.json()
      return isJsonObject(body) && typeof body['imported'] === 'number' ? body['imported'] : 0
    },
    binsCsvUrl(site) {
      return `${baseUrl}${withQuery('/bins.csv', new URLSearchParams({ site }).toString())}`
    },
    async confirmPutAway(predictionId, bin) {
      const response = await send(`/predictions/${encodeURIComponent(predictionId)}/put-away`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(bin === undefined ? {} : { bin }),
      })
      return decodePutAway(await response.json())
    },
    async stockByBin(site) {
      // An empty site means every site; the API refuses an empty name.
      const query = new URLSearchParams(site === '' ? { group_by: 'bin' } : { group_by: 'bin', site })
      return decodeBinStock(await getJson(withQuery('/stock', query.toString())))
    },
  }
}

function decodeCorrectionId(value: unknown): number {
  return readNumber(expectObject(value, 'correction'), 'id', 'correction')
}
