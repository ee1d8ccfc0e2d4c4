import { createSeededRandom } from '../../src/data/index.js'

const COLOURS: Array<[number, number, number]> = [
  [0.9, 0.1, 0.1],
  [0.1, 0.8, 0.2],
  [0.15, 0.2, 0.9],
]

/** `perClass` noisy images per class: a coloured square on a grey background, at a random position. */
export function colourSquares(
  perClass: number,
  size = 16,
  seed = 1,
): { images: Float32Array[]; labels: number[] } {
  const random = createSeededRandom(seed)
  const images: Float32Array[] = []
  const labels: number[] = []
  for (let n = 0; n < perClass; n++) {
    COLOURS.forEach((colour, label) => {
      const image = new Float32Array(size * size * 3)
      const side = Math.floor(size / 2)
      const x0 = Math.floor(random() * (size - side))
      const y0 = Math.floor(random() * (size - side))
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side
          for (let c = 0; c < 3; c++) {
            const base = inside ? (colour[c] ?? 0) : 0.5
            image[(y * size + x) * 3 + c] = Math.min(1, Math.max(0, base + (random() - 0.5) * 0.2))
          }
        }
      }
      images.push(image)
      labels.push(label)
    })
  }
  return { images, labels }
}
