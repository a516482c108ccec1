/**
 * The operator file: every setting of a deployment in one place, `NAME=value`
 * per line (deploy/operator.env.example is the template; the filled copy is
 * git-ignored, or lives outside the repository). Read strictly: an unknown
 * name is a typo that would otherwise silently leave a setting unset.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { parse } from 'dotenv'
import { FIXED_FUNCTION_SETTINGS, REFUSED_SETTINGS, SETTINGS } from './settings'

export class DeployError extends Error {
  override name = 'DeployError'
}

export interface OperatorFile {
  path: string
  values: Record<string, string>
}

function insideRepository(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** True when git would never commit `path` (ignored); paths outside the repository are not git's. */
export function isIgnoredByGit(root: string, path: string): boolean {
  if (!insideRepository(root, path)) return true
  try {
    execFileSync('git', ['check-ignore', '-q', path], { cwd: root, stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function readOperatorFile(root: string, path: string): OperatorFile {
  const full = resolve(root, path)
  if (!existsSync(full)) {
    throw new DeployError(`operator file ${full} not found: copy deploy/operator.env.example to deploy/operator.env (git-ignored) and fill it in`)
  }
  // Secrets are in it: it must never be committed.
  if (!isIgnoredByGit(root, full)) throw new DeployError(`operator file ${full} is inside the repository and not git-ignored: move it or ignore it`)
  const values = parse(readFileSync(full, 'utf8'))
  const known = new Set(SETTINGS.map((setting) => setting.name))
  const problems: string[] = []
  for (const name of Object.keys(values)) {
    if (name in FIXED_FUNCTION_SETTINGS) problems.push(`${name} is set by the deploy (${FIXED_FUNCTION_SETTINGS[name]}); remove it`)
    else if (REFUSED_SETTINGS.includes(name)) problems.push(`${name} is no longer read; remove it`)
    else if (/^TENCENTCLOUD_|PRIVATE_KEY/.test(name)) problems.push(`${name}: deploy credentials come from the environment, not from this file`)
    else if (!known.has(name)) problems.push(`${name} is not a setting (typo?); the settings are listed in deploy/operator.env.example`)
  }
  for (const [name, value] of Object.entries(values)) values[name] = value.trim()
  for (const setting of SETTINGS) {
    if (setting.required && !values[setting.name]) problems.push(`${setting.name} is required and missing`)
  }
  if (problems.length > 0) throw new DeployError(`operator file ${full}:\n  ${problems.join('\n  ')}`)
  return { path: full, values }
}
