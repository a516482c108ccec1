/**
 * No import circles in cloudfunctions/_core: the module graph (every import
 * and re-export, type-only ones included, read by TypeScript's own
 * pre-processor) has no strongly connected component of more than one file.
 * A circle means two modules cannot be understood, tested or bundled apart;
 * the usual way out is a small module of the types both need (data-rules.ts,
 * moderation/request.ts, settings-env.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const core = join(__dirname, '..', '..', 'cloudfunctions', '_core')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

/** A relative specifier to the file it names, if it is one of ours. */
function resolveModule(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null
  const base = resolve(dirname(from), specifier)
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate
  return null
}

function moduleGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sources(dir)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const targets = importedFiles.map((f) => resolveModule(file, f.fileName)).filter((f): f is string => f !== null && f.startsWith(dir))
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** Tarjan's strongly connected components with more than one member (and self-imports). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter++
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0))
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0))
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    for (;;) {
      const member = stack.pop() as string
      onStack.delete(member)
      component.push(member)
      if (member === node) break
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

describe('the house', () => {
  it('finds circles when there are some (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ])
    expect(circles(graph)).toEqual([['a', 'b', 'c'], ['e']])
  })

  it('has no import circles in cloudfunctions/_core, type-only imports included', () => {
    const graph = moduleGraph(core)
    expect(graph.size).toBeGreaterThan(50)
    expect(circles(graph).map((component) => component.map((file) => relative(core, file)))).toEqual([])
  })
})
