import type { FastifyRequest } from 'fastify'
import type { Multipart } from '@fastify/multipart'
import {
  FieldInvalidError,
  FileFieldMissingError,
  MalformedMultipartError,
  NotMultipartError,
  TooManyFilesError,
  UploadTooLargeError,
} from './errors.js'

/** One uploaded file, read into memory (bounded by the size limit). */
export interface Upload {
  field: string
  filename: string
  bytes: Buffer
  /** Set when the file went over the size limit; `bytes` is then empty. */
  error?: UploadTooLargeError
}

export interface UploadForm {
  files: Upload[]
  fields: Record<string, string>
}

export interface ReadUploadsOptions {
  fileFields: readonly string[]
  textFields: readonly string[]
  maxFiles: number
  maxFileBytes: number
  /** Max characters of each accepted text field. */
  maxFieldChars: number
  /** Whether a file over the size limit fails the whole request (single upload) or only itself (batch). */
  isOversizeFatal: boolean
}

/**
 * Streams the multipart body part by part: each file is read up to the size limit and busboy discards the
 * rest, so an oversized upload never sits whole in memory. Files under other field names are drained and
 * reported when no accepted field was sent.
 */
export async function readUploads(request: FastifyRequest, options: ReadUploadsOptions): Promise<UploadForm> {
  if (!request.isMultipart()) throw new NotMultipartError()
  const files: Upload[] = []
  const fields: Record<string, string> = {}
  const ignoredFileFields: string[] = []
  const unknownFields: string[] = []
  let parts: AsyncIterableIterator<Multipart>
  try {
    // @fastify/multipart is registered with throwFileSizeLimit: false: oversize shows as `file.truncated`.
    parts = request.parts({
      limits: {
        fileSize: options.maxFileBytes,
        // One extra so a request with too many files is told so rather than silently cut.
        files: options.maxFiles + 4,
        fields: 32,
        fieldSize: 64 * 1024,
        parts: options.maxFiles + 36,
        headerPairs: 100,
      },
    })
  } catch (err) {
    throw wrapMultipartError(err, options)
  }
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (options.textFields.includes(part.fieldname)) {
          fields[part.fieldname] = checkTextField(part.fieldname, part.value, options.maxFieldChars)
        } else {
          unknownFields.push(part.fieldname)
        }
        continue
      }
      if (!options.fileFields.includes(part.fieldname)) {
        ignoredFileFields.push(part.fieldname)
        part.file.resume()
        continue
      }
      if (files.length >= options.maxFiles) {
        part.file.resume()
        throw new TooManyFilesError(options.maxFiles)
      }
      const chunks: Buffer[] = []
      for await (const chunk of part.file) chunks.push(chunk as Buffer)
      const upload: Upload = {
        field: part.fieldname,
        filename: cleanFilename(part.filename),
        bytes: Buffer.concat(chunks),
      }
      if (part.file.truncated) {
        upload.bytes = Buffer.alloc(0)
        upload.error = new UploadTooLargeError(options.maxFileBytes)
        if (options.isOversizeFatal) throw upload.error
      }
      files.push(upload)
    }
  } catch (err) {
    throw wrapMultipartError(err, options)
  }
  if (files.length === 0) throw new FileFieldMissingError(options.fileFields, ignoredFileFields)
  // A field we do not know is a client bug (a typo of "location" would otherwise be dropped silently).
  const [unknown] = [...ignoredFileFields, ...unknownFields]
  if (unknown !== undefined) {
    throw new FieldInvalidError(
      unknown.slice(0, 64),
      `is not accepted here (fields: ${[...options.fileFields, ...options.textFields].join(', ')})`,
    )
  }
  return { files, fields }
}

function wrapMultipartError(err: unknown, options: ReadUploadsOptions): Error {
  const code = (err as { code?: unknown } | undefined)?.code
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') return new TooManyFilesError(options.maxFiles)
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new UploadTooLargeError(options.maxFileBytes)
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new NotMultipartError()
  if (err instanceof Error && typeof code === 'string') return err
  // busboy's own parse errors ("Unexpected end of form", "Malformed part header") carry no code.
  return new MalformedMultipartError(err)
}

function checkTextField(name: string, value: unknown, maxChars: number): string {
  if (typeof value !== 'string') throw new FieldInvalidError(name, 'must be text')
  const trimmed = value.trim()
  if (trimmed.length > maxChars) throw new FieldInvalidError(name, `is longer than ${maxChars} characters`)
  // Control characters in a location or camera id are never intended and break CSV exports and logs.
  if (/\p{Cc}/u.test(trimmed)) throw new FieldInvalidError(name, 'contains control characters')
  // busboy decodes invalid UTF-8 to U+FFFD; storing that would silently corrupt the client's value.
  if (trimmed.includes('\uFFFD')) throw new FieldInvalidError(name, 'is not valid UTF-8')
  return trimmed
}

/** Keeps only the last path segment, without control characters, at most 255 characters; never empty. */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? ''
  const cleaned = base
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 255)
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned
}
