/**
 * `npm run bench`: the performance table. Figures are printed, never asserted;
 * ratios compare against a naive baseline where one exists.
 */
import { EventEmitter } from 'node:events'
import { cpus, totalmem } from 'node:os'
import { benchSignUps } from './activities'
import { benchArticles } from './articles'
import { benchBundles } from './bundles'
import { benchCards } from './cards'
import { benchDb } from './db'
import { benchFunctions } from './functions'
import { benchOidc } from './oidc'
import { benchPackages } from './packages'
import { benchReview } from './review'
import { benchScanner } from './scanner'
import { printTable } from './stats'

// The sign-up burst has hundreds of SDK requests in flight on shared sockets, each adding a listener:
// expected here, not a leak, so Node's warning about more than 10 would only bury the table.
EventEmitter.defaultMaxListeners = 1000

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(`lechat-card bench · node ${process.version} · ${cpus().length} × ${cpu} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB`)
  printTable("mini-program packages as WeChat's compiler outputs them (cloud build)", await benchPackages())
  printTable('cloud function bundles: size · cold load of their own code (wx-server-sdk preloaded)', await benchBundles())
  printTable('local database engine (in process, no HTTP)', await benchDb())
  printTable('cloud functions through the real wx-server-sdk', await benchFunctions())
  printTable('card landing page through dispatcher + real SDK + local DB (file, WAL)', await benchCards())
  printTable('moderation text scanner (20k terms, MB = UTF-16 bytes)', await benchScanner())
  printTable('activities: sign-up burst through dispatcher + real SDK + local DB (file, WAL)', await benchSignUps())
  printTable('article feed at 100k articles through dispatcher + real SDK + local DB (file, WAL)', await benchArticles())
  printTable('review queue at 100k items, and reports, through dispatcher + real SDK + local DB (file, WAL)', await benchReview())
  printTable('login service (OpenID Connect) through the HTTP path + real SDK + local DB (memory)', await benchOidc())
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
