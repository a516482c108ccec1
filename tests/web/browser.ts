import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find(
    (candidate) => candidate && existsSync(candidate),
  )
  if (!found) throw new Error('Chromium not found: run scripts/ensure-chromium.sh or set CHROMIUM_PATH')
  return found
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
}
