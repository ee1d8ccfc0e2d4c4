import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../../src/web/src/lib/api-client.js'
import { ApiError, NetworkError } from '../../src/web/src/lib/errors.js'
import { EMPTY_HISTORY_FILTERS } from '../../src/web/src/lib/query-string.js'

interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

type Handler = (req: SeenRequest, res: ServerResponse) => void

const servers: Server[] = []

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A real HTTP server on a free port: the client's fetch, FormData and headers go over the wire. */
async function serve(handler: Handler): Promise<{ baseUrl: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('latin1'),
      }
      seen.push(request)
      handler(request, res)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address')
  const { port } = address
  return { baseUrl: `http://127.0.0.1:${port}`, seen }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const prediction = {
  id: 'p1',
  filename: 'ball.jpg',
  predicted_label: 'golf_ball',
  confidence: 0.4,
  all_scores: { golf_ball: 0.4, tennis_ball: 0.35, baseball: 0.25 },
  model: 'sportscan@1',
  location: 'A1',
  status: 'needs_review',
  created_at: '2026-11-26T18:00:00Z',
}

describe('ApiClient.predict', () => {
  it('uploads the photo as multipart field "img" with the location and the API key', async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 200, prediction))
    const client = createApiClient({ baseUrl, getApiKey: () => 'sk_test' })
    const result = await client.predict(
      new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }),
      'ball.jpg',
      ' A1 ',
    )
    expect(result.status).toBe('needs_review')
    expect(result.predictedLabel).toBe('golf_ball')
    const [request] = seen
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/predict')
    expect(request?.headers['authorization']).toBe('Bearer sk_test')
    expect(request?.headers['accept']).toBe('application/json')
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(request?.body).toMatch(/name="location"\r\n\r\nA1\r\n/)
    expect(request?.body).toMatch(/name="img"; filename="ball.jpg"\r\nContent-Type: image\/jpeg/)
    // Text fields come before the file so the server can read them before streaming the upload.
    expect(request?.body.indexOf('name="location"')).toBeLessThan(request?.body.indexOf('name="img"') ?? 0)
  })

  it('sends no Authorization header when signed out', async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 200, prediction))
    await createApiClient({ baseUrl, getApiKey: () => null }).predict(new Blob(['x']), 'a.jpg', '')
    expect(seen[0]?.headers['authorization']).toBeUndefined()
    expect(seen[0]?.body).not.toContain('name="location"')
  })

  it("turns a rejected upload into an ApiError carrying the server's code and message", async () => {
    const { baseUrl } = await serve((_req, res) =>
      json(res, 415, {
        code: 'SPS_API_NOT_AN_IMAGE',
        message: 'The upload is not a JPEG, PNG or WebP image',
      }),
    )
    const error = await createApiClient({ baseUrl })
      .predict(new Blob(['hello']), 'notes.txt', '')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 415,
      code: 'SPS_API_NOT_AN_IMAGE',
      message: 'The upload is not a JPEG, PNG or WebP image',
    })
  })

  it('shows a friendly text for a 5xx and for a body that is not JSON', async () => {
    const { baseUrl } = await serve((req, res) => {
      if (req.url?.startsWith('/stock?') === true)
        return json(res, 500, { code: 'X', message: 'Internal Server Error' })
      res.writeHead(413, { 'content-type': 'text/html' })
      res.end('<h1>Too large</h1>')
    })
    const client = createApiClient({ baseUrl })
    await expect(client.stock()).rejects.toThrow('The server had a problem. Try again.')
    await expect(client.predict(new Blob(['x']), 'big.jpg', '')).rejects.toMatchObject({
      status: 413,
      code: 'HTTP_413',
      message: 'That file is too large.',
    })
  })

  it("keeps a 503's explanation, which says what is unavailable", async () => {
    const { baseUrl } = await serve((_req, res) =>
      json(res, 503, { code: 'SPS_API_NO_MODEL', message: 'No model is loaded yet' }),
    )
    await expect(createApiClient({ baseUrl }).predict(new Blob(['x']), 'a.jpg', '')).rejects.toMatchObject({
      status: 503,
      message: 'No model is loaded yet',
    })
  })

  it('reports a NetworkError when nothing listens', async () => {
    const { baseUrl } = await serve(() => undefined)
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
    await expect(createApiClient({ baseUrl }).categories()).rejects.toBeInstanceOf(NetworkError)
  })
})

describe('ApiClient.history', () => {
  it('asks GET /history with the filters and page, and links the CSV with the same filters', async () => {
    const { baseUrl, seen } = await serve((_req, res) =>
      json(res, 200, { total: 1, items: [prediction], next_cursor: null }),
    )
    const client = createApiClient({ baseUrl })
    const filters = { ...EMPTY_HISTORY_FILTERS, label: 'golf_ball', location: 'A1' }
    const page = await client.history(filters, { limit: 20, cursor: 'c9' })
    expect(page.items).toHaveLength(1)
    expect(seen[0]?.url).toBe('/history?limit=20&cursor=c9&label=golf_ball&location=A1')
    expect(client.historyCsvUrl(filters)).toBe(`${baseUrl}/history.csv?label=golf_ball&location=A1`)
  })
})

const capabilities = {
  store_images: true,
  auth: 'off',
  role: 'admin',
  min_image_side_px: 32,
  max_upload_bytes: 10,
  batch_limit: 2,
}

describe('ApiClient.explanation', () => {
  it('fetches the overlay PNG', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex')
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.url === '/capabilities') return json(res, 200, capabilities)
      res.writeHead(200, { 'content-type': 'image/png' })
      res.end(png)
    })
    const blob = await createApiClient({ baseUrl }).explanation('p 1')
    expect(blob?.type).toBe('image/png')
    expect(Buffer.from((await blob?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(png)
    expect(seen.map((r) => r.url)).toEqual(['/capabilities', '/predictions/p%201/explain'])
  })

  it('answers null on 404 and asks for the capabilities only once per key', async () => {
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.url === '/capabilities') return json(res, 200, capabilities)
      json(res, 404, { code: 'SPS_API_NOT_FOUND', message: 'no heatmap' })
    })
    let key: string | null = null
    const client = createApiClient({ baseUrl, getApiKey: () => key })
    expect(await client.explanation('a')).toBeNull()
    expect(await client.explanation('b')).toBeNull()
    expect(seen.filter((r) => r.url === '/capabilities')).toHaveLength(1)
    // Signing in may change the role: asked again, with the key.
    key = 'sk_x'
    await client.capabilities()
    expect(seen.filter((r) => r.url === '/capabilities')).toHaveLength(2)
    expect(seen.at(-1)?.headers['authorization']).toBe('Bearer sk_x')
  })
})

describe('ApiClient.imageUrl', () => {
  it('links no photo when the server keeps none, whatever the row says', async () => {
    const { baseUrl } = await serve((_req, res) => json(res, 200, { ...capabilities, store_images: false }))
    const client = createApiClient({ baseUrl })
    const caps = await client.capabilities()
    expect(client.imageUrl({ id: 'p1', imageUrl: '/predictions/p1/image' }, caps)).toBeNull()
  })
})

describe('ApiClient.promote', () => {
  it('moves the production alias with the version in the body', async () => {
    const { baseUrl, seen } = await serve((req, res) => {
      if (req.url === '/capabilities') return json(res, 200, capabilities)
      json(res, 200, { ok: true })
    })
    const client = createApiClient({ baseUrl })
    await client.promote(
      { name: 'sports-ball-cnn', version: '4', ref: 'sports-ball-cnn@4' },
      await client.capabilities(),
    )
    expect(seen[1]?.method).toBe('PUT')
    expect(seen[1]?.url).toBe('/models/sports-ball-cnn/aliases/production')
    expect(seen[1]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({ version: 4 })
  })

  it('refuses without calling the server when the server cannot say what it offers', async () => {
    const { baseUrl, seen } = await serve((_req, res) => json(res, 404, {}))
    const client = createApiClient({ baseUrl })
    const caps = await client.capabilities()
    await expect(client.promote({ name: 'm', version: '1', ref: 'm@1' }, caps)).rejects.toMatchObject({
      code: 'SPS_WEB_PROMOTE_UNSUPPORTED',
    })
    expect(seen).toHaveLength(1)
  })
})

describe('ApiClient, typed by the server’s OpenAPI document', () => {
  it('sends a correction and a bin as the routes take them, and refuses an unknown ball type unsent', async () => {
    const { baseUrl, seen } = await serve((req, res) =>
      req.method === 'POST' ? json(res, 201, { id: 9 }) : json(res, 200, { ok: true }),
    )
    const client = createApiClient({ baseUrl })
    expect(await client.correct('p 1', 'not_a_ball')).toBe(9)
    await client.setBin('main', 'golf_ball', 'A3', null)
    expect(seen.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /predictions/p%201/correction {"label":"not_a_ball"}',
      'PUT /bins/main/golf_ball {"bin":"A3","capacity":null}',
    ])
    await expect(client.correct('p1', 'ice_ball')).rejects.toMatchObject({
      code: 'SPS_WEB_UNKNOWN_BALL_TYPE',
    })
    await expect(client.setBin('main', 'not_a_ball', 'A3')).rejects.toMatchObject({
      code: 'SPS_WEB_UNKNOWN_BALL_TYPE',
    })
    expect(seen).toHaveLength(2)
  })
})
