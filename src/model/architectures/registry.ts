import { UnknownArchitectureError } from '../errors.js'
import type { Architecture } from './architecture.js'
import { resnetSmall } from './resnet-small.js'
import { seedCnn } from './seed-cnn.js'
import { sepCnn } from './sep-cnn.js'

/** Every architecture the pipeline can name; adding one is one file plus one line here. */
const ARCHITECTURES: ReadonlyMap<string, Architecture> = new Map(
  [seedCnn, resnetSmall, sepCnn].map((a) => [a.name, a]),
)

export function getArchitecture(name: string): Architecture {
  const architecture = ARCHITECTURES.get(name)
  if (!architecture) throw new UnknownArchitectureError(name, listArchitectures())
  return architecture
}

export function listArchitectures(): string[] {
  return [...ARCHITECTURES.keys()]
}
