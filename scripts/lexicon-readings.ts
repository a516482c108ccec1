/**
 * `npm run lexicon:readings`: works out the demo lexicon's readings (which
 * traditional characters and which sounds stand for its terms) into
 * shared/moderation/demo-readings.json, as `moderation.putLexicon` does for a
 * stored lexicon. Run it after editing demo-lexicon.json; a test fails while
 * the two disagree.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lexiconReadings } from '../cloudfunctions/_core/moderation/lexicon-readings'
import demo from '../shared/moderation/demo-lexicon.json'
import { parseLexicon } from '../shared/moderation/lexicon'

const parsed = parseLexicon(demo)
if (!parsed.ok) throw new Error(parsed.problems.join('\n'))
const readings = lexiconReadings(parsed.lexicon)
const file = join(__dirname, '..', 'shared', 'moderation', 'demo-readings.json')
writeFileSync(file, `${JSON.stringify(readings, null, 1)}\n`)
const homophones = Object.values(readings.homophones).reduce((sum, chars) => sum + chars.length, 0)
console.log(`${file}: ${Object.keys(readings.variants).length} variants, ${Object.keys(readings.syllables).length} terms with syllables, ${homophones} homophones`)
