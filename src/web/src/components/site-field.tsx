import { useApi } from '../api-context.js'
import { useAsync } from '../use-async.js'

const SITE_KEY = 'sportscan.site'

export function readSavedSite(): string {
  try {
    return window.localStorage.getItem(SITE_KEY) ?? ''
  } catch {
    return '' // storage blocked: the server's default site answers
  }
}

function saveSite(site: string): void {
  try {
    window.localStorage.setItem(SITE_KEY, site)
  } catch {
    // storage blocked: the choice holds for this visit
  }
}

/** Which site's bins answer the scans; '' is the server's default site. Hidden until the sites are known. */
export function SiteField({ value, onChange }: { value: string; onChange: (site: string) => void }) {
  const api = useApi()
  const [sites] = useAsync(() => api.sites(), [api])
  if (sites.status !== 'ok') return null
  const { defaultSite } = sites.data
  const choices = sites.data.sites.filter((s) => s !== defaultSite)
  return (
    <div class="field">
      <label for="scan-site">Site</label>
      <select
        id="scan-site"
        value={value}
        onChange={(event) => {
          onChange(event.currentTarget.value)
          saveSite(event.currentTarget.value)
        }}
      >
        <option value="">{defaultSite} (default)</option>
        {choices.map((site) => (
          <option key={site} value={site}>
            {site}
          </option>
        ))}
      </select>
      <p class="hint">Whose bins the answer names.</p>
    </div>
  )
}
