/**
 * The few protobuf wire-format primitives the ONNX exporter needs (varints, fixed32 floats, length-delimited
 * fields), so the exporter carries no protobuf runtime. Encoding only; see
 * https://protobuf.dev/programming-guides/encoding/.
 */
export class ProtobufWriter {
  private readonly chunks: Uint8Array[] = []
  private length = 0

  /** Unsigned or signed 64-bit integer field (int64 / int32 / enum / bool); negatives take 10 bytes. */
  int(field: number, value: number | bigint): this {
    this.tag(field, 0)
    this.varint(BigInt.asUintN(64, BigInt(value)))
    return this
  }

  float(field: number, value: number): this {
    this.tag(field, 5)
    const bytes = new Uint8Array(4)
    new DataView(bytes.buffer).setFloat32(0, value, true)
    this.push(bytes)
    return this
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2)
    this.varint(BigInt(value.length))
    this.push(value)
    return this
  }

  /** An embedded message, written by `write` into its own writer. */
  message(field: number, write: (w: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter()
    write(inner)
    return this.bytes(field, inner.finish())
  }

  /** A packed repeated integer field (the proto3 default for repeated scalars). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtobufWriter()
    for (const v of values) inner.varint(BigInt.asUintN(64, BigInt(v)))
    return this.bytes(field, inner.finish())
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4)
    const view = new DataView(bytes.buffer)
    values.forEach((v, i) => view.setFloat32(i * 4, v, true))
    return this.bytes(field, bytes)
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length)
    let offset = 0
    for (const chunk of this.chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType))
  }

  private varint(value: bigint): void {
    const bytes: number[] = []
    let v = value
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    bytes.push(Number(v))
    this.push(Uint8Array.from(bytes))
  }

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes)
    this.length += bytes.length
  }
}
