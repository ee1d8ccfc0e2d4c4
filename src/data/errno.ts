/** True when `err` is a Node system error with this `code` (ENOENT, EXDEV...). */
export function hasErrorCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code
}
