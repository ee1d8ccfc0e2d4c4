// The layering of ../shared/STYLE.md section 2 as ESLint's no-restricted-imports, one config block per
// concern and folder depth (relative specifiers reach `src/` with as many `../` as the file is deep):
// imports point down, nothing imports cli, only cli imports api, the dashboard imports no server code,
// config is a leaf that only the edges load, and another concern is reached through its folder's index.js.

/** What each concern of src/ may import (besides itself); `log` and `config` types go anywhere. */
export const ALLOWED_IMPORTS = {
  cli: ['api', 'auth', 'config', 'data', 'db', 'log', 'model', 'pipeline', 'putaway', 'registry'],
  api: ['auth', 'config', 'data', 'db', 'log', 'model', 'putaway', 'registry'],
  pipeline: ['config', 'data', 'db', 'log', 'model', 'registry'],
  auth: ['config', 'db', 'log'],
  // Put-away: bin assignment rules, the site plan's CSV, confirmations; shared by the API and the CLI.
  putaway: ['config', 'data', 'db', 'log'],
  registry: ['config', 'db', 'log'],
  model: ['config', 'data', 'log'],
  data: ['config', 'db', 'log'],
  db: ['config', 'log'],
  log: ['config'],
  config: [],
  web: [],
}

/** Files that load the configuration: the edges (STYLE.md section 5). */
const CONFIG_LOADERS = ['src/cli/**', 'src/api/start-server.ts']

const CONCERNS = Object.keys(ALLOWED_IMPORTS)
const MAX_DEPTH = 5

function patternsFor(concern, depth, { mayLoadConfig }) {
  const up = '\\.\\./'.repeat(depth)
  if (concern === 'web') {
    return [
      {
        regex: `^(\\.\\./){${depth},}`,
        message: 'The dashboard talks to the server over HTTP only: it imports no server code (STYLE.md 2).',
      },
    ]
  }
  const allowed = ALLOWED_IMPORTS[concern]
  const forbidden = CONCERNS.filter((c) => c !== concern && !allowed.includes(c))
  const patterns = []
  if (forbidden.length > 0) {
    patterns.push({
      regex: `^${up}(${forbidden.join('|')})(/|$)`,
      message: `${concern} ${allowed.length > 0 ? `may import only ${allowed.join(', ')}` : 'imports no other concern'}: imports point down, nothing imports cli, only cli imports api (STYLE.md 2).`,
    })
  }
  if (allowed.length > 0) {
    patterns.push({
      regex: `^${up}(${allowed.join('|')})/(?!([\\w-]+/)*index\\.js$)`,
      message: "Import another concern through its folder's index.js, never its inner files (STYLE.md 2).",
    })
  }
  if (!mayLoadConfig && allowed.includes('config')) {
    patterns.push({
      regex: `^${up}config/index\\.js$`,
      importNames: ['loadConfig'],
      message:
        'Configuration is loaded only at the edge (cli, api/start-server.ts); take your slice as an argument (STYLE.md 5).',
    })
  }
  return patterns
}

/** Flat-config blocks enforcing the boundaries on src/ (a default export: test/lint loads it as a config file). */
const boundaryConfigs = CONCERNS.flatMap((concern) =>
  Array.from({ length: MAX_DEPTH }, (_, i) => i + 1).flatMap((depth) => {
    const files = [`src/${concern}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`]
    const rule = (mayLoadConfig) => ({
      'no-restricted-imports': ['error', { patterns: patternsFor(concern, depth, { mayLoadConfig }) }],
    })
    const isLoader = concern === 'cli'
    const blocks = [{ files, rules: rule(isLoader) }]
    const loaders = CONFIG_LOADERS.filter((f) => !isLoader && f.startsWith(`src/${concern}/`))
    if (depth === 1 && loaders.length > 0) blocks.push({ files: loaders, rules: rule(true) })
    return blocks
  }),
)

export default boundaryConfigs
