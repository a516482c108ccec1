import { build } from 'esbuild'
const fn = process.argv[2] ?? 'legal'
build({ entryPoints: [`/work/main/cloudfunctions/${fn}/index.ts`], bundle: true, platform: 'node', target: 'node16', format: 'cjs', external: ['wx-server-sdk', 'pinyin-pro'], minify: true, charset: 'utf8', write: false, metafile: true, legalComments: 'none' }).then((r) => {
  const out = Object.values(r.metafile.outputs)[0]!
  const rows = Object.entries(out.inputs).map(([k, v]) => [k, v.bytesInOutput] as const).sort((a, b) => b[1] - a[1])
  console.log(fn, (out.bytes / 1024).toFixed(1), 'KB')
  for (const [k, b] of rows.slice(0, 30)) console.log(String((b / 1024).toFixed(1)).padStart(7), k)
})
