/**
 * What the benchmarks run on: the bundled model (or a seed-cnn with random weights when there is none) with
 * its ONNX export, and a ~35 KB JPEG from SPORTSCAN_DATASET (or a generated one).
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { loadConfig } from '../src/config/index.js'
import { getArchitecture, saveModelArtifact } from '../src/model/index.js'
import { ensureOnnx, ONNX_MODEL_FILE } from '../src/model/onnx/index.js'

const TARGET_JPEG_BYTES = 35 * 1024

export async function prepareModel(tmp: string): Promise<{ dir: string; onnxFile: string; label: string }> {
  const bundled = loadConfig().serving.bundledModelDir
  const hasBundled = await stat(path.join(bundled, 'model.json')).then(
    (s) => s.isFile(),
    () => false,
  )
  let dir = bundled
  let label = `bundled model ${bundled}`
  if (!hasBundled) {
    dir = path.join(tmp, 'seed-cnn')
    label = 'seed-cnn, random weights, 64x64 (no bundled model found)'
    const model = getArchitecture('seed-cnn').build({ inputSize: 64, numClasses: 15, seed: 1 })
    await saveModelArtifact(dir, {
      model,
      labels: Array.from({ length: 15 }, (_, i) => `class${i}`),
      preprocess: { size: 64, fit: 'stretch' },
    })
    model.dispose()
  }
  // An existing model.onnx is used as shipped; otherwise export to the temp folder, never into the repo.
  const shipped = path.join(dir, ONNX_MODEL_FILE)
  const hasShipped = await stat(shipped).then(
    () => true,
    () => false,
  )
  const { file } = await ensureOnnx(dir, { file: hasShipped ? shipped : path.join(tmp, ONNX_MODEL_FILE) })
  return { dir, onnxFile: file, label }
}

export async function findJpeg(): Promise<{ bytes: Buffer; label: string }> {
  const dataset = process.env.SPORTSCAN_DATASET
  if (dataset) {
    let best: { file: string; size: number } | undefined
    for (const cls of await readdir(dataset)) {
      const folder = path.join(dataset, cls)
      if (!(await stat(folder)).isDirectory()) continue
      for (const name of await readdir(folder)) {
        if (!/\.jpe?g$/i.test(name)) continue
        const file = path.join(folder, name)
        const { size } = await stat(file)
        if (!best || Math.abs(size - TARGET_JPEG_BYTES) < Math.abs(best.size - TARGET_JPEG_BYTES))
          best = { file, size }
      }
    }
    if (!best) throw new Error(`no JPEG under SPORTSCAN_DATASET=${dataset}`)
    return {
      bytes: await readFile(best.file),
      label: `${path.relative(dataset, best.file)} (${(best.size / 1024).toFixed(1)} KB)`,
    }
  }
  // A noisy gradient photo stand-in; lower the quality until it is about 35 KB like the dataset's photos.
  const base = sharp({
    create: {
      width: 400,
      height: 300,
      channels: 3,
      background: '#6a8cb0',
      noise: { type: 'gaussian', mean: 120, sigma: 25 },
    },
  })
  const raw = await base.png().toBuffer()
  let bytes = await sharp(raw).blur(1.2).jpeg({ quality: 90 }).toBuffer()
  for (let quality = 85; bytes.length > TARGET_JPEG_BYTES && quality > 20; quality -= 5) {
    bytes = await sharp(raw).blur(1.2).jpeg({ quality }).toBuffer()
  }
  return { bytes, label: `generated 400x300 JPEG (${(bytes.length / 1024).toFixed(1)} KB)` }
}
