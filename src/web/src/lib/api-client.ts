import { decodeCapabilities, fillPath, NO_CAPABILITIES, type ApiCapabilities } from './capabilities.js'
import { ApiError, NetworkError } from './errors.js'
import { answer, apiErrorOf, createHttpClient, withApiHeaders } from './http-client.js'
import { isBallLabel, isCorrectionLabel, type BallLabel } from './ball-types.js'
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
  historyQuery,
  reportQuery,
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

/** Only the properties the route documents: the server rejects unknown body fields. */
function versionOf(model: Pick<ModelVersion, 'version'>): number | string {
  return Number.isInteger(Number(model.version)) ? Number(model.version) : model.version
}

const JSON_BODY = { 'Content-Type': 'application/json' }

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? ''
  const getApiKey = options.getApiKey ?? (() => null)
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis)
  const http = createHttpClient({ baseUrl, fetch: fetchFn, getApiKey })
  /** Cached per API key: the role it reports changes when someone signs in or out. */
  let capabilities: { key: string | null; answer: Promise<ApiCapabilities> } | null = null
  const id = (value: string) => ({ params: { path: { id: value } } })
  const bin = (site: string, label: BallLabel) => ({ params: { path: { site, label } } })

  function readCapabilitiesOnce(): Promise<ApiCapabilities> {
    const key = getApiKey()
    if (capabilities === null || capabilities.key !== key) {
      // A server that cannot say (an older one) gets no optional features rather than failing requests.
      const caps = answer(http.GET('/capabilities')).then(decodeCapabilities, () => ({ ...NO_CAPABILITIES }))
      capabilities = { key, answer: caps }
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
      // Multipart has no body schema in the document; openapi-fetch sends FormData as it is.
      return decodePrediction(await answer(http.POST('/predict', { body: form as never })))
    },
    async prediction(predictionId) {
      return decodePrediction(await answer(http.GET('/predictions/{id}', id(predictionId))))
    },
    async history(filters, page) {
      return decodeHistoryPage(
        await answer(http.GET('/history', { params: { query: historyQuery(filters, page) } })),
      )
    },
    historyCsvUrl(filters) {
      return `${baseUrl}${withQuery('/history.csv', buildHistoryQuery(filters))}`
    },
    async categories() {
      return decodeCategories(await answer(http.GET('/categories')))
    },
    async stock() {
      return decodeStock(await answer(http.GET('/stock', { params: { query: { group_by: 'location' } } })))
    },
    async stats(filters) {
      return decodeStats(await answer(http.GET('/stats', { params: { query: reportQuery(filters) } })))
    },
    async models() {
      return decodeModels(await answer(http.GET('/models')))
    },
    async health() {
      return decodeServiceStatus(await answer(http.GET('/health')))
    },
    capabilities: readCapabilitiesOnce,
    async explanation(predictionId) {
      const caps = await readCapabilitiesOnce()
      if (caps.explainPath === null) return null
      try {
        const blob = await answer(
          http.GET('/predictions/{id}/explain', {
            ...id(predictionId),
            headers: { Accept: 'image/png,image/*' },
            parseAs: 'blob',
          }),
        )
        return blob instanceof Blob && blob.type.startsWith('image/') ? blob : null
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
      if (caps.promote === null) {
        throw new ApiError(501, 'SPS_WEB_PROMOTE_UNSUPPORTED', 'This server cannot promote models yet.')
      }
      await answer(
        http.PUT('/models/{name}/aliases/{alias}', {
          params: { path: { name: model.name, alias: 'production' } },
          body: { version: versionOf(model) as number },
        }),
      )
    },
    async download(url) {
      // Any file link the dashboard was given (CSV exports, model files): not one route, so plain fetch.
      const headers = withApiHeaders(new Headers({ Accept: '*/*' }), getApiKey)
      const response = await fetchFn(url.startsWith(baseUrl) ? url : `${baseUrl}${url}`, { headers }).catch(
        (cause: unknown) => {
          throw new NetworkError(cause)
        },
      )
      if (!response.ok) throw apiErrorOf(response.status, await response.json().catch(() => null))
      return response.blob()
    },
    async reviewQueue(limit) {
      return decodeReviewQueue(await answer(http.GET('/review', { params: { query: { limit } } })))
    },
    async correct(predictionId, label) {
      if (!isCorrectionLabel(label)) throw unknownBallType(label)
      const created = await answer(
        http.POST('/predictions/{id}/correction', {
          ...id(predictionId),
          body: { label },
          headers: JSON_BODY,
        }),
      )
      return decodeCorrectionId(created)
    },
    async undoCorrection(predictionId, correctionId, wasFlagged) {
      await answer(
        http.DELETE('/predictions/{id}/corrections/{correction_id}', {
          params: {
            path: { id: predictionId, correction_id: correctionId },
            query: { was_flagged: wasFlagged },
          },
        }),
      )
    },
    async setFlag(predictionId, isFlagged) {
      const flag = isFlagged ? http.POST : http.DELETE
      await answer(flag('/predictions/{id}/flag', id(predictionId)))
    },
    async deletePrediction(predictionId) {
      await answer(http.DELETE('/predictions/{id}', id(predictionId)))
    },
    async restorePrediction(predictionId) {
      await answer(http.POST('/predictions/{id}/restore', id(predictionId)))
    },
    async drift(filters) {
      return decodeDrift(await answer(http.GET('/stats', { params: { query: reportQuery(filters) } })))
    },
    async retrainStatus() {
      return decodeRetrainStatus(await answer(http.GET('/retrain')))
    },
    async startRetrain() {
      return decodeRetrainJob(await answer(http.POST('/retrain', { body: {}, headers: JSON_BODY })))
    },
    async sites() {
      return decodeSites(await answer(http.GET('/sites')))
    },
    async binAssignments(site) {
      return decodeAssignments(await answer(http.GET('/bins', { params: { query: { site } } })))
    },
    async setBin(site, label, binLabel, capacity) {
      if (!isBallLabel(label)) throw unknownBallType(label)
      const body = capacity === undefined ? { bin: binLabel } : { bin: binLabel, capacity }
      await answer(http.PUT('/bins/{site}/{label}', { ...bin(site, label), body }))
    },
    async deleteBin(site, label) {
      if (!isBallLabel(label)) throw unknownBallType(label)
      await answer(http.DELETE('/bins/{site}/{label}', bin(site, label)))
    },
    async importBins(csv, replace) {
      const body: unknown = await answer(
        http.POST('/bins/import', {
          params: { query: replace ? { replace: '1' } : {} },
          // The CSV goes as it is (the route reads text/csv, which the document gives no schema).
          body: csv as never,
          bodySerializer: (text: string) => text,
          headers: { 'Content-Type': 'text/csv' },
        }),
      )
      return isJsonObject(body) && typeof body['imported'] === 'number' ? body['imported'] : 0
    },
    binsCsvUrl(site) {
      return `${baseUrl}${withQuery('/bins.csv', new URLSearchParams({ site }).toString())}`
    },
    async confirmPutAway(predictionId, binLabel) {
      const body = binLabel === undefined ? {} : { bin: binLabel }
      return decodePutAway(
        await answer(http.POST('/predictions/{id}/put-away', { ...id(predictionId), body })),
      )
    },
    async stockByBin(site) {
      // An empty site means every site; the API refuses an empty name.
      const binQuery = site === '' ? { group_by: 'bin' as const } : { group_by: 'bin' as const, site }
      return decodeBinStock(await answer(http.GET('/stock', { params: { query: binQuery } })))
    },
  }
}

/** A label none of the server's routes accept: refused here rather than sent. */
function unknownBallType(label: string): ApiError {
  return new ApiError(400, 'SPS_WEB_UNKNOWN_BALL_TYPE', `"${label}" is not a ball type this server knows.`)
}

function decodeCorrectionId(value: unknown): number {
  return readNumber(expectObject(value, 'correction'), 'id', 'correction')
}
