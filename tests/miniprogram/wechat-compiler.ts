/**
 * WeChat's own template and style compilers (wcc / wcsc, shipped in
 * miniprogram-compiler, which miniprogram-simulate depends on), run file by file
 * so that a failure names file:line:col.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'

// createRequire: the mini-program typings redeclare the global `require` without `resolve`.
const BIN = join(dirname(createRequire(__filename).resolve('miniprogram-compiler/package.json')), 'bin')

function binary(name: 'wcc' | 'wcsc'): string {
  if (process.platform === 'win32') return join(BIN, 'windows', `${name}.exe`)
  const path = join(BIN, process.platform === 'darwin' ? 'mac' : 'linux', name)
  // npm does not keep the executable bit on these files; miniprogram-compiler sets it the same way.
  chmodSync(path, 0o755)
  return path
}

export interface CompileProblem {
  /** file:line:col: message */
  location: string
  message: string
}

function filesUnder(root: string, extension: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name)
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...filesUnder(path, extension))
    else if (entry.isFile() && entry.name.endsWith(extension)) found.push(path)
  }
  return found.sort()
}

function posix(path: string): string {
  return path.split(sep).join('/')
}

/** wcc prints "file:line:col: message"; wcsc prints "ERR: file(line:col): message". */
function parse(output: string, fallbackFile: string): CompileProblem[] {
  const problems: CompileProblem[] = []
  for (const line of output.split('\n')) {
    const wcc = /^(.+?):(\d+):(\d+):\s*(.*)$/.exec(line.trim())
    const wcsc = /^ERR:\s*(.+?)\((\d+):(\d+)\):\s*(.*)$/.exec(line.trim())
    const match = wcsc ?? wcc
    if (match) problems.push({ location: `${match[1]}:${match[2]}:${match[3]}`, message: match[4] ?? '' })
  }
  if (problems.length === 0 && output.trim()) problems.push({ location: `${fallbackFile}:1:1`, message: output.trim() })
  return problems
}

function run(tool: 'wcc' | 'wcsc', root: string, args: string[], file: string): CompileProblem[] {
  const result = spawnSync(binary(tool), args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })
  if (result.error) throw result.error
  const stderr = result.stderr.toString()
  // wcsc reports some errors with exit code 0, so both the code and the output count.
  if (result.status === 0 && !/ERR:/.test(stderr)) return []
  return parse(stderr, file)
}

/** Compiles every .wxml (with the .wxs modules) and .wxss under root; returns every problem found. */
export function compileAll(root: string): { files: string[]; problems: CompileProblem[] } {
  const wxml = filesUnder(root, '.wxml').map((f) => posix(relative(root, f)))
  const wxs = filesUnder(root, '.wxs').map((f) => posix(relative(root, f)))
  const wxss = filesUnder(root, '.wxss').map((f) => posix(relative(root, f)))
  const problems: CompileProblem[] = []
  for (const file of wxml) problems.push(...run('wcc', root, ['-d', '-cc', '0', file, ...wxs, '-gn', '$gwx'], file))
  for (const file of wxss) problems.push(...run('wcsc', root, ['-db', '-pc', '0', file], file))
  return { files: [...wxml, ...wxs, ...wxss], problems }
}
