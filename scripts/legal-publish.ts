/**
 * `npm run legal:publish -- --doc <id> --version <v> --file <path> --summary <text> --announce <ISO> --effective <ISO>`
 *
 * Publishes a new document version into the local cloud's data folder
 * (LECHAT_DATA_DIR, default .local-data/) through the same `legal.publish`
 * handler the admin page uses, as dev-admin. The file is a template: its
 * placeholders are filled from the local settings before hashing. Optional:
 * `--title` (default: the file's first `# ` line), `--reason`.
 * A running `npm start` on the same folder sees the new version within 30 s.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { systemClock } from '../cloudfunctions/_core/clock'
import { silentLogger } from '../cloudfunctions/_core/context'
import { sandboxOpenApi } from '../cloudfunctions/_core/ports/sandbox-openapi'
import { composeLocalCloud, localSettings } from '../local/cloud'
import { seedDemoData, titleOfTemplate } from '../local/seed'
import { DOCUMENT_IDS, type DocumentId } from '../shared/consent'
import { runMain } from './run-main'

const USAGE = 'usage: npm run legal:publish -- --doc <id> --version <v> --file <path> --summary <text> --announce <ISO> --effective <ISO> [--title <text>] [--reason <text>]'

function isDocumentId(value: string): value is DocumentId {
  return (DOCUMENT_IDS as readonly string[]).includes(value)
}

/** ISO 8601 with an offset or Z, as the contract wants it; anything else is a usage error. */
function instant(text: string, flag: string): string | null {
  const at = new Date(text)
  if (Number.isNaN(at.getTime())) {
    console.error(`--${flag}: "${text}" is not a date-time (e.g. 2027-01-01T00:00:00+08:00)`)
    return null
  }
  return at.toISOString()
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      doc: { type: 'string' },
      version: { type: 'string' },
      file: { type: 'string' },
      summary: { type: 'string' },
      announce: { type: 'string' },
      effective: { type: 'string' },
      title: { type: 'string' },
      reason: { type: 'string' },
    },
    strict: true,
  })
  const { doc, version, file, summary, announce, effective } = values
  if (!doc || !version || !file || !summary || !announce || !effective) {
    console.error(USAGE)
    return 2
  }
  if (!isDocumentId(doc)) {
    console.error(`unknown document "${doc}"; one of: ${DOCUMENT_IDS.join(', ')}`)
    return 2
  }
  const announcedAt = instant(announce, 'announce')
  const effectiveAt = instant(effective, 'effective')
  if (!announcedAt || !effectiveAt) return 2
  const template = readFileSync(resolve(file), 'utf8')
  const dataDir = process.env.LECHAT_DATA_DIR ?? join(__dirname, '..', '.local-data')
  const cloud = await composeLocalCloud({
    dataDir,
    port: 0,
    mode: 'local',
    clock: systemClock,
    openApi: sandboxOpenApi(),
    log: silentLogger,
    env: localSettings(process.env),
  })
  try {
    // A fresh folder gets what `npm start` would seed first, dev-admin included.
    await seedDemoData(cloud.store, systemClock.now(), cloud.config)
    const input = {
      docId: doc,
      version,
      title: values.title ?? titleOfTemplate(template, doc),
      summary,
      body: template,
      announcedAt,
      effectiveAt,
      reason: values.reason ?? '本地发布（npm run legal:publish）',
    }
    const result = await cloud.gateway.call('legal', { action: 'publish', input }, 'dev-admin')
    if (!result.ok) {
      const issues = (result.error.issues ?? []).map((i) => `\n  ${i.path}: ${i.message}`).join('')
      console.error(`发布失败 ${result.error.code}：${result.error.message}${issues}`)
      return 1
    }
    const { document } = result.data as { document: { docId: string; version: string; hash: string; announcedAt: string; effectiveAt: string } }
    console.log(`已发布 ${document.docId} 第 ${document.version} 版
  公告 ${document.announcedAt}
  生效 ${document.effectiveAt}
  SHA-256 ${document.hash}
  数据目录 ${dataDir}`)
    return 0
  } finally {
    await cloud.close()
  }
}

runMain(main)
