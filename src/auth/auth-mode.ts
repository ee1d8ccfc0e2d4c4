import { AuthModeRefusedError } from './errors.js'

/** Whether the API demands keys; `auto` resolves to one of these from the listening host. */
export type AuthMode = 'required' | 'off'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]'])

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * `auto`: off on loopback (the embedded single-user default), required anywhere else. `off` beyond loopback
 * is refused: anyone on the network could then delete history, and a typo should not do that.
 */
export function resolveAuthMode(setting: 'auto' | 'required' | 'off', host: string): AuthMode {
  if (setting === 'required') return 'required'
  if (isLoopbackHost(host)) return 'off'
  if (setting === 'off') throw new AuthModeRefusedError(host)
  return 'required'
}
