import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const webRoot = fileURLToPath(new URL('.', import.meta.url))
const outDir = fileURLToPath(new URL('../../dist/web', import.meta.url))

// API routes the dashboard calls; `vite --config src/web/vite.config.ts` (dev) forwards them to a local
// `npm start` on port 8000. Page paths (/scans, /reports, /registry) never collide with these.
const apiPaths = [
  '/predict',
  '/predictions',
  '/history',
  '/history.csv',
  '/stock',
  '/stats',
  '/categories',
  '/models',
  '/openapi.json',
  '/health',
  '/capabilities',
  '/review',
  '/retrain',
]

export default defineConfig({
  root: webRoot,
  base: '/',
  // Preact's automatic JSX runtime through Vite's own transformer, so no Babel-based plugin is needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    // Everything is bundled: the dashboard must work on a machine with no internet.
    target: 'es2022',
  },
  server: {
    proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: 'http://localhost:8000' }])),
  },
})
