import { readFile } from 'node:fs/promises'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { parseDocument } from 'yaml'
import { PipelineSpecError } from './errors.js'
import { formatSchemaErrors } from './schema-errors.js'

const ScalarSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean()])

/** A pipeline-level parameter: what `--set name=value` may change, typed so the value is parsed. */
export const ParamDeclarationSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('integer'),
      Type.Literal('number'),
      Type.Literal('boolean'),
    ]),
    default: Type.Optional(ScalarSchema),
    description: Type.Optional(Type.String()),
    enum: Type.Optional(Type.Array(ScalarSchema, { minItems: 1 })),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
)
export type ParamDeclaration = Static<typeof ParamDeclarationSchema>
export type ParamValue = string | number | boolean

export const StepDeclarationSchema = Type.Object(
  {
    type: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    /** Input name -> `${steps.<step>.outputs.<output>}`. */
    inputs: Type.Optional(Type.Record(Type.String(), Type.String())),
    /** Literal values, or `${params.<name>}` (keeps the param's type) inside strings. */
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Outputs this pipeline relies on; each must be one the step type produces. */
    outputs: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
)
export type StepDeclaration = Static<typeof StepDeclarationSchema>

export const PipelineSpecSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$' }),
    description: Type.Optional(Type.String()),
    params: Type.Optional(Type.Record(Type.String(), ParamDeclarationSchema)),
    steps: Type.Record(Type.String(), StepDeclarationSchema, { minProperties: 1 }),
  },
  { additionalProperties: false },
)
export type PipelineSpec = Static<typeof PipelineSpecSchema>

/** Parses and schema-checks pipeline YAML; `file` only names the source in errors. */
export function parsePipelineSpec(text: string, file: string): PipelineSpec {
  const doc = parseDocument(text, { uniqueKeys: true })
  if (doc.errors.length > 0) {
    throw new PipelineSpecError(
      file,
      // The first errors say what is wrong; later ones mostly follow from them.
      doc.errors.slice(0, 3).map((e) => {
        const at = e.linePos?.[0]
        const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '')
        return `${at ? `line ${at.line}, column ${at.col}: ` : ''}${message}`
      }),
    )
  }
  const value: unknown = doc.toJS()
  const problems = formatSchemaErrors(PipelineSpecSchema, value, '')
  if (problems.length > 0) throw new PipelineSpecError(file, problems)
  return Value.Parse(PipelineSpecSchema, value)
}

export async function readPipelineSpec(file: string): Promise<PipelineSpec> {
  return parsePipelineSpec(await readFile(file, 'utf8'), file)
}
