import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register as registerPipeline } from '../../src/cli/commands/pipeline.js'
import { register } from '../../src/cli/commands/pipeline-params.js'
import { createCliContext } from '../../src/cli/context.js'

describe('sportscan pipeline params', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test("lists each step's params: the YAML's values, --set overrides, and the step's defaults for the rest", async () => {
    const out: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => out.push(args.map(String).join(' ')))
    const program = new Command('sportscan').exitOverride()
    const getContext = () => createCliContext({ LOG_LEVEL: 'silent' })
    registerPipeline(program, getContext)
    register(program, getContext)
    await program.parseAsync([
      'node',
      'sportscan',
      'pipeline',
      'params',
      '--json',
      '--set',
      'fineTuneEpochs=2',
    ])
    const params = JSON.parse(out.join('\n')) as Record<string, Record<string, unknown>>
    expect(Object.keys(params)).toEqual(['prep', 'split', 'train', 'evaluate', 'quantize', 'register'])
    // set on the command line / in the YAML / left to the transfer step's schema
    expect(params.train).toMatchObject({ fineTuneEpochs: 2, backbone: 'imagenet:mobilenet_v2' })
    expect(params.prep).toMatchObject({ imageSize: 320 })
    expect(typeof params.train?.learningRate).toBe('number')
  })
})
