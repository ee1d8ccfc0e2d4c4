/** Reports `done/total` at most every `stepPercent` percent (and at the end), so logs stay readable. */
export function createProgressReporter(
  report: (message: string) => void,
  label: string,
  stepPercent = 20,
): (done: number, total: number) => void {
  let lastPercent = -1
  return (done, total) => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100
    if (done === total || percent >= lastPercent + stepPercent) {
      lastPercent = percent
      report(`${label} ${done}/${total} (${percent}%)`)
    }
  }
}
