import { orderedId } from '../../cloudfunctions/_core/ids'

describe('orderedId', () => {
  it('sorts ids made in the same millisecond in the order they were made', () => {
    const at = new Date('2026-12-07T12:00:00Z')
    const ids = Array.from({ length: 500 }, () => orderedId(at))
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('sorts by time first, whatever the order they were made in', () => {
    const later = orderedId(new Date('2026-12-07T12:00:00.001Z'))
    const earlier = orderedId(new Date('2026-12-07T12:00:00.000Z'))
    expect(earlier < later).toBe(true)
    expect(later).toMatch(/^[\w-]{1,64}$/)
  })
})
