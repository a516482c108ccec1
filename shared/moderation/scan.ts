/**
 * The local text gate that runs before WeChat's msgSecCheck: the operator's
 * lexicon, personal data in public text, and spam heuristics, combined into
 * one verdict with reasons an author can act on and a reviewer can check.
 *
 * Precedence — the strictest signal wins; all reasons are reported regardless:
 *  1. refuse — a hit in a lexicon category whose action is `refuse`;
 *  2. refuse — an ID number or a bank card number. Both are sensitive personal
 *     information (PIPL art. 28) that has no place in a public card or article and
 *     may be someone else's. Refusing tells the author at once what to remove, and
 *     keeps the number out of the review queue, where staff would otherwise see it;
 *     the checks (GB 11643 check digit, Luhn plus issuer prefix) keep false alarms rare;
 *  3. review — a hit in a lexicon category whose action is `review`, and any hit
 *     found only by how it sounds (pinyin, homophones: names sound like words);
 *  4. review — a mobile number: publishing one's own business number is legitimate,
 *     a third party's or an ad's is not, and only a person can tell which;
 *  5. review — a spam score at or above SPAM_REVIEW_THRESHOLD;
 *  6. pass — nothing above. WeChat's msgSecCheck still runs after a local pass or
 *     review; a local refuse need not be sent to WeChat at all.
 */
import { detectPersonalData, PERSONAL_DATA_NAMES, SPAM_REVIEW_THRESHOLD, spamReport, type PersonalDataHit, type SpamReport } from './detectors'
import type { Category, LexiconScanner, TermInfo, WeChatLabel } from './lexicon'
import { applyFold, hasSkippable } from './normalize'
import { pinyinMatchStands } from './pinyin'

export type Verdict = 'pass' | 'review' | 'refuse'

export interface LexiconHit {
  category: Category
  /** WeChat's msgSecCheck label code for the category. */
  label: WeChatLabel
  /** The lexicon term as the operator wrote it; the text's own spelling is text.slice(start, end). */
  term: string
  start: number
  end: number
  /** What the author wrote (text.slice(start, end)). */
  written: string
  /** The same span as the scanner read it: folded, or the term's syllables when found by sound. */
  reads: string
  /** Found only through pinyin or homophones. */
  bySound: boolean
}

export interface ScanResult {
  verdict: Verdict
  hits: LexiconHit[]
  personalData: PersonalDataHit[]
  spam: SpamReport & { threshold: number }
  /** Chinese, one per distinct finding, most severe first. */
  reasons: string[]
  /** Which lexicon produced the hits, for the decision record. */
  lexiconVersion: string
}

const SEVERITY: Record<Verdict, number> = { pass: 0, review: 1, refuse: 2 }

/** Invisible and line-breaking characters shown by name, so a reason shows exactly what to remove. */
function visible(written: string): string {
  return written.replace(/[\u0000-\u001f\u007f\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u3164\ufe00-\ufe0f\ufeff\uffa0]/gu, (c) =>
    c === '\n' ? '⏎' : `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  )
}

/** A match through the union of folds stands for a category with narrower folds only if its own fold reads it as the term. */
function readsAsTerm(info: TermInfo | undefined, written: string): boolean {
  if (!info) return false
  return info.check === null || applyFold(written, info.check.fold).text === info.check.term
}

export function scanText(text: string, scanner: LexiconScanner): ScanResult {
  const hits: LexiconHit[] = []
  const refuseReasons = new Set<string>()
  const reviewReasons = new Set<string>()
  let verdict: Verdict = 'pass'
  const raise = (to: Verdict, reason: string): void => {
    if (SEVERITY[to] > SEVERITY[verdict]) verdict = to
    ;(to === 'refuse' ? refuseReasons : reviewReasons).add(reason)
  }

  const found = new Set<string>()
  const hit = (index: number, start: number, end: number, bySound: boolean): void => {
    const info = scanner.terms[index]
    const key = `${index}:${start}`
    if (!info || found.has(key)) return
    found.add(key)
    const written = text.slice(start, end)
    const reads = bySound ? (scanner.pinyin?.matcher.spoken.get(info.term) ?? info.term) : applyFold(written, scanner.fold).text
    hits.push({ category: info.category, label: info.label, term: info.term, start, end, written, reads, bySound })
    // Found through a fold: the author and the reviewer see what was written next to what it reads as.
    const as = written.toLowerCase() === info.term.toLowerCase() ? '' : `（原文写作“${visible(written)}”${bySound ? '，读音相同' : ''}）`
    if (info.action === 'refuse' && !bySound) raise('refuse', `含有「${info.categoryName}」类违规内容“${info.term}”${as}，不能发布`)
    else raise('review', `含有「${info.categoryName}」类敏感内容“${info.term}”${as}，需人工复审`)
  }
  const { main, plain, pinyin } = scanner
  if (main) {
    main.automaton.forEachFoldedMatch(text, scanner.fold, (start, end, k) => {
      const index = main.terms[k] ?? -1
      if (readsAsTerm(scanner.terms[index], text.slice(start, end))) hit(index, start, end, false)
    })
  }
  plain?.automaton.forEachMatch(text, (start, end, k) => hit(plain.terms[k] ?? -1, start, end, false))
  if (pinyin) {
    pinyin.automaton.forEachFoldedMatch(text, pinyin.matcher.fold, (start, end, k) => {
      const index = pinyin.terms[k] ?? -1
      const info = scanner.terms[index]
      if (!info || !pinyinMatchStands(pinyin.matcher, text, start, end, k)) return
      if (!info.folds.skipBetween && hasSkippable(text.slice(start, end))) return
      // Spelled as the term, it was found above; anything new here was found by sound.
      hit(index, start, end, true)
    })
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end)

  const personalData = detectPersonalData(text)
  for (const hit of personalData) {
    const name = PERSONAL_DATA_NAMES[hit.kind]
    if (hit.kind === 'mobile') raise('review', `公开内容中含有${name}（${hit.masked}），需人工复审确认是否可以公开`)
    else raise('refuse', `公开内容中含有${name}（${hit.masked}），请删除后再发布`)
  }

  const spam = spamReport(text, personalData)
  if (spam.score >= SPAM_REVIEW_THRESHOLD) {
    const why = [...new Set(spam.signals.map((s) => s.reason))].join('；')
    raise('review', `疑似广告引流（评分 ${spam.score}，达到 ${SPAM_REVIEW_THRESHOLD} 即复审）：${why}`)
  }

  return {
    verdict,
    hits,
    personalData,
    spam: { ...spam, threshold: SPAM_REVIEW_THRESHOLD },
    reasons: [...refuseReasons, ...reviewReasons],
    lexiconVersion: scanner.version,
  }
}
