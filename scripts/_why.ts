import { build } from 'esbuild'
const [fn, target] = [process.argv[2] ?? 'legal', process.argv[3] ?? 'cloudfunctions/_core/identity']
build({ entryPoints: [`/work/main/cloudfunctions/${fn}/index.ts`], bundle: true, platform: 'node', format: 'cjs', external: ['wx-server-sdk', 'pinyin-pro'], write: false, metafile: true }).then((r) => {
  const importers = new Map<string, string[]>()
  for (const [file, info] of Object.entries(r.metafile.inputs)) for (const imp of info.imports) { const l = importers.get(imp.path) ?? []; l.push(file); importers.set(imp.path, l) }
  const entry = `cloudfunctions/${fn}/index.ts`
  // BFS from entry to first file matching target
  const prev = new Map<string, string>(); const q = [entry]; const seen = new Set(q)
  while (q.length) { const f = q.shift()!; if (f.startsWith(target)) { const chain = [f]; let c = f; while (prev.has(c)) { c = prev.get(c)!; chain.push(c) } console.log(chain.reverse().join('\n  → ')); return }
    for (const imp of r.metafile.inputs[f]?.imports ?? []) if (!seen.has(imp.path)) { seen.add(imp.path); prev.set(imp.path, f); q.push(imp.path) } }
  console.log('not reached')
})
