/** Under 14 the guardian consents (PIPL Art. 31); ages follow the SPC reckoning in shared/rules/age.ts. */
import { accounts, findAccount } from '../../cloudfunctions/_core/accounts'
import { ID_NUMBER_PROBLEMS, checkCharacter } from '../../shared/rules/id-number'
import { ensureTestDocuments, startTestCloud, type TestCloud } from '../../local/testing'
import { errorOf, grant, ok, statusOf, type RecordData } from './helpers'
import type { PurposeId } from '../../shared/consent'

let cloud: TestCloud

beforeAll(async () => {
  cloud = await startTestCloud({ start: new Date('2026-02-01T04:00:00.000Z') })
  await ensureTestDocuments(cloud)
})
afterAll(async () => {
  await cloud.close()
})

/** Noon in Beijing on that date. */
function setBeijingDate(date: string): void {
  cloud.clock.set(new Date(`${date}T12:00:00+08:00`))
}

/** A valid resident ID number (Dongcheng, Beijing) for a birth date. */
function idNumberBornOn(date: string): string {
  const first17 = `110101${date.replaceAll('-', '')}123`
  return `${first17}${checkCharacter(first17)}`
}

const call = (openid: string, fn: string, action: string, input: unknown = {}) => cloud.call(fn, { action, input }, openid)
const CHILD_PURPOSES: PurposeId[] = ['terms', 'privacy', 'childrenRules']
const guardian = (bornOn: string, overrides: Record<string, string> = {}) => ({ relation: 'father', name: '张大山', idNumber: idNumberBornOn(bornOn), ...overrides })

async function signUp(openid: string, birthDate: string, purposes: PurposeId[], extra: Record<string, unknown> = {}) {
  ok(await call(openid, 'account', 'login'))
  return grant(cloud, openid, purposes, { method: 'checkbox', declaredBirthDate: birthDate, ...extra })
}

describe('someone born on 29 February', () => {
  it('is still under 14 on 28 February of the common year they turn 14', async () => {
    setBeijingDate('2026-02-28')
    const refused = errorOf(await signUp('leap-1', '2012-02-29', ['terms', 'privacy']))
    expect(refused.code).toBe('GUARDIAN_CONSENT_REQUIRED')
    expect((await statusOf(cloud, 'leap-1')).ageClass).toBe('under14')
  })

  it('is 14 on 1 March, and consents alone', async () => {
    setBeijingDate('2026-03-01')
    ok(await signUp('leap-2', '2012-02-29', ['terms', 'privacy']))
    const status = await statusOf(cloud, 'leap-2')
    expect(status).toMatchObject({ ageClass: 'minor14to17', blocked: null })
    // The one who was refused yesterday has turned 14 overnight.
    expect((await statusOf(cloud, 'leap-1')).ageClass).toBe('minor14to17')
  })
})

describe('on the 14th birthday', () => {
  beforeAll(() => setBeijingDate('2026-05-10'))

  it('a child is still under 14: consenting alone is refused, and the declared date is kept', async () => {
    const refused = errorOf(await signUp('child-1', '2012-05-10', CHILD_PURPOSES))
    expect(refused.code).toBe('GUARDIAN_CONSENT_REQUIRED')
    expect(refused.message).toContain('监护人')
    expect(await findAccount(cloud.store, 'child-1')).toMatchObject({ birthDate: '2012-05-10', birthDateSource: 'declared' })
    const status = await statusOf(cloud, 'child-1')
    expect(status).toMatchObject({ ageClass: 'under14', blocked: 'GUARDIAN_CONSENT_REQUIRED' })
    expect(status.required.map((r) => r.purpose)).toEqual(CHILD_PURPOSES)
    // Declaring an adult's birth date instead does not get round it.
    const redeclared = errorOf(await grant(cloud, 'child-1', ['terms', 'privacy'], { method: 'checkbox', declaredBirthDate: '1990-01-01' }))
    expect(redeclared.code).toBe('INVALID_INPUT')
    expect(await cloud.store.collection('consent_records').count({ subject: 'child-1' })).toBe(0)
  })

  it('refuses a guardian ID number that does not check out', async () => {
    const bad = guardian('1980-01-01')
    const wrongCheck = `${bad.idNumber.slice(0, 17)}${bad.idNumber[17] === '0' ? '1' : '0'}`
    const refused = errorOf(await grant(cloud, 'child-1', CHILD_PURPOSES, { method: 'guardian', guardian: { ...bad, idNumber: wrongCheck } }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues).toEqual([{ path: 'guardian.idNumber', message: ID_NUMBER_PROBLEMS.checkDigit }])
  })

  it('refuses a guardian on their own 18th birthday, and accepts one a day older', async () => {
    const young = errorOf(await grant(cloud, 'child-1', CHILD_PURPOSES, { method: 'guardian', guardian: guardian('2008-05-10') }))
    expect(young.code).toBe('INVALID_INPUT')
    expect(young.issues).toEqual([{ path: 'guardian.idNumber', message: '监护人须年满18周岁' }])

    const adult = guardian('2008-05-09', { idNumber: idNumberBornOn('2008-05-09').toLowerCase() })
    const reply = ok<{ records: RecordData[]; status: { blocked: string | null } }>(
      await grant(cloud, 'child-1', CHILD_PURPOSES, { method: 'guardian', guardian: adult }),
    )
    expect(reply.status.blocked).toBeNull()
    expect(reply.records).toHaveLength(3)
    for (const record of reply.records) {
      expect(record.method).toBe('guardian')
      expect(record.guardian).toEqual({ relation: 'father', maskedName: '张**', identityRef: expect.stringMatching(/^[0-9a-f]{64}$/) })
    }
    ok(await call('child-1', 'account', 'getProfile'))
  })

  it('keeps neither the guardian\'s name nor their ID number', async () => {
    const stored = JSON.stringify(await cloud.store.collection('consent_records').find({ subject: 'child-1' }, { limit: 10 }))
    expect(stored).not.toContain('张大山')
    expect(stored).not.toContain(idNumberBornOn('2008-05-09'))
    expect(stored).not.toContain('20080509')
  })

  it('needs the children rules too, not only the agreement and the policy', async () => {
    ok(await call('child-2', 'account', 'login'))
    ok(await grant(cloud, 'child-2', ['terms', 'privacy'], { method: 'guardian', guardian: guardian('1982-03-03'), declaredBirthDate: '2015-01-01' }))
    const refused = errorOf(await call('child-2', 'account', 'getProfile'))
    expect(refused.code).toBe('GUARDIAN_CONSENT_REQUIRED')
    expect((await statusOf(cloud, 'child-2')).required.find((r) => r.purpose === 'childrenRules')?.state).toBe('missing')
  })

  it('needs the guardian again when a verified birth date shows someone who consented alone is under 14', async () => {
    ok(await signUp('child-3', '1995-01-01', ['terms', 'privacy']))
    ok(await call('child-3', 'account', 'getProfile'))
    // Arranged: identity verification (a later issue) corrects the declared date from the ID number.
    const account = await findAccount(cloud.store, 'child-3')
    await accounts(cloud.store).update(account?._id ?? '', { birthDate: '2013-01-01', birthDateSource: 'verified' })
    expect(errorOf(await call('child-3', 'account', 'getProfile')).code).toBe('GUARDIAN_CONSENT_REQUIRED')
    // The child's own acceptance of the agreement and the policy does not count: the guardian decides on all three.
    const mother = guardian('1985-06-06', { relation: 'mother', name: '李芳' })
    ok(await grant(cloud, 'child-3', ['childrenRules'], { method: 'guardian', guardian: mother }))
    expect(errorOf(await call('child-3', 'account', 'getProfile')).code).toBe('GUARDIAN_CONSENT_REQUIRED')
    ok(await grant(cloud, 'child-3', ['terms', 'privacy'], { method: 'guardian', guardian: mother }))
    ok(await call('child-3', 'account', 'getProfile'))
  })

  it('needs the guardian for separate consents too', async () => {
    expect(errorOf(await grant(cloud, 'child-1', ['location'])).code).toBe('GUARDIAN_CONSENT_REQUIRED')
    ok(await grant(cloud, 'child-1', ['location'], { method: 'guardian', guardian: guardian('2008-05-09') }))
  })
})

describe('the day after the 14th birthday', () => {
  beforeAll(() => setBeijingDate('2026-05-11'))

  it('a minor of 14 consents alone, and is told to show the minor notice', async () => {
    ok(await signUp('teen-1', '2012-05-10', ['terms', 'privacy']))
    expect(await statusOf(cloud, 'teen-1')).toMatchObject({ ageClass: 'minor14to17', blocked: null })
    ok(await call('teen-1', 'account', 'getProfile'))
  })

  it('does not take a guardian for someone 14 or older', async () => {
    const refused = errorOf(await signUp('teen-2', '2011-01-01', ['terms', 'privacy'], { method: 'guardian', guardian: guardian('1980-01-01') }))
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues?.[0]?.path).toBe('guardian')
    expect(errorOf(await grant(cloud, 'teen-2', ['childrenRules'])).code).toBe('INVALID_INPUT')
  })

  it('keeps the guardian\'s consent valid for the child who has just turned 14', async () => {
    expect(await statusOf(cloud, 'child-1')).toMatchObject({ ageClass: 'minor14to17', blocked: null })
  })
})
