/**
 * The last few uploaded photos, in memory, by SHA-256: when photos are not kept on disk (STORE_IMAGES off),
 * the dashboard can still show the heatmap of the scan it just made. Bounded by count and bytes, so memory
 * stays flat under load; older photos simply drop out (their explanation answers 404 as before).
 */
export class RecentUploads {
  private readonly entries = new Map<string, Buffer>()
  private bytes = 0

  constructor(
    private readonly maxEntries = 32,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}

  remember(sha256: string, image: Buffer): void {
    if (image.length > this.maxBytes) return
    this.forget(sha256)
    this.entries.set(sha256, image)
    this.bytes += image.length
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.forget(oldest)
    }
  }

  get(sha256: string): Buffer | undefined {
    return this.entries.get(sha256)
  }

  private forget(sha256: string): void {
    const image = this.entries.get(sha256)
    if (image === undefined) return
    this.entries.delete(sha256)
    this.bytes -= image.length
  }
}
