/**
 * Precision and recall on the evaluation set (tests/moderation/corpus): the
 * evasions the scanner claims to see through must be caught (recall ≥ 90 %),
 * and ordinary business text must pass (at most 2 % flagged). A failure lists
 * the texts missed or wrongly flagged.
 */
import demo from '../../shared/moderation/demo-lexicon.json'
import demoReadings from '../../shared/moderation/demo-readings.json'
import { lexiconScannerFrom } from '../../shared/moderation/lexicon'
import { scanText } from '../../shared/moderation/scan'
import { buildCorpus, scoreCorpus } from './corpus/corpus'

const scanner = lexiconScannerFrom(demo, demoReadings)
const corpus = buildCorpus()
const result = scoreCorpus(corpus, (text) => scanText(text, scanner).verdict !== 'pass')

test('holds at least 300 labelled texts, 150 of them ordinary', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(300)
  expect(corpus.filter((s) => !s.flag).length).toBeGreaterThanOrEqual(150)
})

test('catches at least 90 % of the evasions', () => {
  expect({ enough: result.recall >= 0.9, misses: result.misses.map((s) => `${s.group}: ${s.text}`) }).toEqual({ enough: true, misses: expect.any(Array) })
})

test('flags at most 2 % of ordinary texts', () => {
  expect({ few: result.falsePositiveRate <= 0.02, falseAlarms: result.falseAlarms.map((s) => s.text) }).toEqual({ few: true, falseAlarms: expect.any(Array) })
})
