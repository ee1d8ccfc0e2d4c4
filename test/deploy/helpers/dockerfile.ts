/**
 * Reads the instructions of our Dockerfile that the tests check (no Docker engine here): per stage its
 * base image, ENV, USER, WORKDIR, EXPOSE, COPY sources, HEALTHCHECK, ENTRYPOINT and CMD. Handles line
 * continuations, comments, `ARG` defaults in `${NAME}` and exec-form (JSON) commands; shell-form
 * ENTRYPOINT/CMD is kept as one string.
 */
export interface DockerStage {
  name: string | undefined
  from: string
  env: Record<string, string>
  user: string | undefined
  workdir: string | undefined
  expose: string[]
  /** Sources of COPY/ADD from the build context (not `--from=` another stage). */
  contextCopies: string[]
  healthcheck: string[] | undefined
  entrypoint: string[] | undefined
  cmd: string[] | undefined
  runs: string[]
}

export interface ParsedDockerfile {
  stages: DockerStage[]
  /** The last stage: what `docker build` produces by default. */
  runtime: DockerStage
}

function logicalLines(text: string): string[] {
  const lines: string[] = []
  let current = ''
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd()
    if (current === '' && (line.trimStart().startsWith('#') || line.trim() === '')) continue
    if (line.trimStart().startsWith('#')) continue
    if (line.endsWith('\\')) current += line.slice(0, -1) + ' '
    else {
      lines.push((current + line).trim())
      current = ''
    }
  }
  if (current.trim() !== '') lines.push(current.trim())
  return lines
}

function substitute(value: string, args: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, a?: string, b?: string) => {
      const name = a ?? b ?? ''
      return name in args ? (args[name] ?? '') : whole
    },
  )
}

function execForm(rest: string): string[] {
  if (!rest.startsWith('[')) return [rest]
  const parsed: unknown = JSON.parse(rest)
  if (!Array.isArray(parsed) || !parsed.every((p): p is string => typeof p === 'string')) {
    throw new Error(`exec form must be a JSON list of strings: ${rest}`)
  }
  return parsed
}

/** `KEY=value KEY2="value 2"` pairs of ENV/ARG/LABEL. */
function keyValues(rest: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  const re = /([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g
  for (const match of rest.matchAll(re)) {
    const [, key = '', raw = ''] = match
    pairs.push([key, raw.startsWith('"') ? raw.slice(1, -1) : raw])
  }
  return pairs
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const globalArgs: Record<string, string> = {}
  const stages: DockerStage[] = []
  let stage: DockerStage | undefined
  let stageArgs: Record<string, string> = {}
  for (const line of logicalLines(text)) {
    const space = line.indexOf(' ')
    const instruction = (space === -1 ? line : line.slice(0, space)).toUpperCase()
    const rest = space === -1 ? '' : line.slice(space + 1).trim()
    if (instruction === 'ARG') {
      for (const [key, value] of keyValues(rest)) (stage ? stageArgs : globalArgs)[key] = value
      continue
    }
    if (instruction === 'FROM') {
      const [image = '', as, name] = rest.split(/\s+/)
      stage = {
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        from: substitute(image, globalArgs),
        env: {},
        user: undefined,
        workdir: undefined,
        expose: [],
        contextCopies: [],
        healthcheck: undefined,
        entrypoint: undefined,
        cmd: undefined,
        runs: [],
      }
      stageArgs = {}
      stages.push(stage)
      continue
    }
    if (!stage) throw new Error(`${instruction} before the first FROM`)
    const vars = { ...globalArgs, ...stageArgs, ...stage.env }
    switch (instruction) {
      case 'ENV':
        for (const [key, value] of keyValues(rest)) stage.env[key] = substitute(value, vars)
        break
      case 'USER':
        stage.user = rest
        break
      case 'WORKDIR':
        stage.workdir = rest
        break
      case 'EXPOSE':
        stage.expose.push(...rest.split(/\s+/))
        break
      case 'COPY':
      case 'ADD': {
        const parts = rest.split(/\s+/)
        if (parts.some((p) => p.startsWith('--from='))) break
        const operands = parts.filter((p) => !p.startsWith('--'))
        stage.contextCopies.push(...operands.slice(0, -1))
        break
      }
      case 'HEALTHCHECK': {
        const cmdAt = rest.indexOf('CMD ')
        stage.healthcheck = cmdAt === -1 ? undefined : execForm(rest.slice(cmdAt + 4).trim())
        break
      }
      case 'ENTRYPOINT':
        stage.entrypoint = execForm(rest)
        break
      case 'CMD':
        stage.cmd = execForm(rest)
        break
      case 'RUN':
        stage.runs.push(rest)
        break
      default:
        break
    }
  }
  const runtime = stages.at(-1)
  if (!runtime) throw new Error('the Dockerfile has no FROM')
  return { stages, runtime }
}
