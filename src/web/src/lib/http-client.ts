import createClient, { type Client } from 'openapi-fetch'
import type { paths } from './api-schema.generated.js'
import { ApiError, NetworkError } from './errors.js'
import { isJsonObject } from './json-reader.js'

/**
 * The API's routes as TypeScript knows them, generated from the server's OpenAPI document: a path,
 * parameter or body the server no longer has fails the dashboard's type check.
 */
export type HttpClient = Client<paths>

export interface HttpClientOptions {
  baseUrl: string
  fetch: typeof fetch
  getApiKey: () => string | null
}

/** openapi-fetch over our fetch: the API key and a JSON Accept on every call; no answer is a NetworkError. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: async (request: Request) => {
      try {
        return await options.fetch(request)
      } catch (cause) {
        throw new NetworkError(cause)
      }
    },
  })
  client.use({
    onRequest({ request }) {
      withApiHeaders(request.headers, options.getApiKey)
      return request
    },
  })
  return client
}

/**
 * The headers every API call carries: the API key, and a JSON Accept unless the call asked for something
 * else (the server answers text/html requests for page paths with the dashboard).
 */
export function withApiHeaders(headers: Headers, getApiKey: () => string | null): Headers {
  if (!headers.has('Accept')) headers.set('Accept', 'application/json')
  const key = getApiKey()
  if (key !== null) headers.set('Authorization', `Bearer ${key}`)
  return headers
}

/** The answer's body, or the ApiError its status and `{ code, message }` say. */
export async function answer<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending
  if (!response.ok) throw apiErrorOf(response.status, error)
  return data as T
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

/** A non-2xx answer as an ApiError, keeping the server's `{ code, message }` when it sent one. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const fallback =
    STATUS_MESSAGES[status] ??
    (status >= 500 ? 'The server had a problem. Try again.' : `Request failed (${status}).`)
  const code = isJsonObject(body) && typeof body['code'] === 'string' ? body['code'] : `HTTP_${status}`
  // A 500 says only "Internal Server Error" by design (the server logs the detail), so the friendly text
  // reads better; a 503 explains what is unavailable.
  const hasUsefulMessage = status < 500 || status === 503
  const message =
    hasUsefulMessage && isJsonObject(body) && typeof body['message'] === 'string' && body['message'] !== ''
      ? body['message']
      : fallback
  return new ApiError(status, code, message)
}
