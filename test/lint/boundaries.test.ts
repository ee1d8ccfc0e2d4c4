import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, test } from '../fixtures.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

// Only the boundary rules (eslint.boundaries.js), on source text placed at a path of src/: quick, and the
// verdicts do not depend on type information.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfigFile: path.join(repoRoot, 'eslint.boundaries.js'),
  overrideConfig: { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
})

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) })
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`)
}

const refused: Array<[string, string, RegExp]> = [
  [
    'src/model/predict-x.ts',
    "import { buildApp } from '../api/index.js'",
    /model may import only config, data, log/,
  ],
  ['src/registry/x.ts', "import { loadClassifier } from '../model/index.js'", /registry may import only/],
  ['src/api/routes/x.ts', "import { run } from '../../cli/main.js'", /nothing imports cli/],
  ['src/pipeline/x.ts', "import { startServer } from '../api/index.js'", /only cli imports api/],
  ['src/db/x.ts', "import { importDataset } from '../data/index.js'", /db may import only config, log/],
  ['src/config/x.ts', "import type { Logger } from '../log/index.js'", /config imports no other concern/],
  [
    'src/pipeline/retrain/x.ts',
    "import { splitStratified } from '../../data/split.js'",
    /through its folder's index\.js/,
  ],
  [
    'src/cli/commands/x.ts',
    "import { startServer } from '../../api/start-server.js'",
    /through its folder's index\.js/,
  ],
  [
    'src/web/src/pages/x.tsx',
    "import type { PredictionRow } from '../../../db/index.js'",
    /imports no server code/,
  ],
  ['src/data/x.ts', "import { loadConfig } from '../config/index.js'", /loaded only at the edge/],
  [
    'src/putaway/x.ts',
    "import { buildApp } from '../api/index.js'",
    /putaway may import only config, data, db, log/,
  ],
  ['src/db/x.ts', "import { parseBinsCsv } from '../putaway/index.js'", /db may import only config, log/],
  ['src/api/routes/x.ts', "import { loadConfig } from '../../config/index.js'", /loaded only at the edge/],
]

const accepted: Array<[string, string]> = [
  ['src/pipeline/retrain/x.ts', "import { splitStratified } from '../../data/index.js'"],
  ['src/cli/commands/x.ts', "import { startServer } from '../../api/index.js'"],
  ['src/api/inference/x.ts', "import { loadOnnxClassifier } from '../../model/onnx/index.js'"],
  ['src/data/x.ts', "import type { Config } from '../config/index.js'"],
  ['src/api/start-server.ts', "import { loadConfig } from '../config/index.js'"],
  ['src/cli/context.ts', "import { loadConfig } from '../config/index.js'"],
  ['src/model/onnx/x.ts', "import { ModelArtifactError } from '../errors.js'"],
  ['src/web/src/pages/x.tsx', "import { formatPercent } from '../lib/format.js'"],
  ['src/api/routes/x.ts', "import { confirmPutAway } from '../../putaway/index.js'"],
  ['src/cli/commands/x.ts', "import { importBinsCsv } from '../../putaway/index.js'"],
]

describe('module boundaries (eslint.boundaries.js)', () => {
  test.for(refused)('%s: refuses %s', async ([file, code, reason]) => {
    const errors = await boundaryErrors(file, `${code}\n`)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^no-restricted-imports: /)
    expect(errors[0]).toMatch(reason)
  })

  test.for(accepted)('%s: accepts %s', async ([file, code]) => {
    expect(await boundaryErrors(file, `${code}\n`)).toEqual([])
  })
})
