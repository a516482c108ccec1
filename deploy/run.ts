/**
 * `npm run deploy`: build for the cloud and deploy everything the repository
 * declares; `npm run deploy -- --dry-run` prints the plan and checks it
 * without network or keys being used.
 *   --operator <file>   the operator file (default deploy/operator.env, or LECHAT_OPERATOR_FILE)
 *   --version <x.y.z>   mini-program version (default: package.json's)
 *   --desc <text>       version description (default: the last commit's subject)
 * Credentials come from the environment only: LECHAT_CI_PRIVATE_KEY_FILE,
 * TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (README, "Going live").
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { applyPlan, cloudTarget } from './apply'
import { DeployError } from './operator-file'
import { describePlan, makePlan } from './plan'

const root = resolve(__dirname, '..')

function lastCommitSubject(): string {
  try {
    return execFileSync('git', ['log', '-1', '--format=%s'], { cwd: root, encoding: 'utf8' }).trim().slice(0, 100)
  } catch {
    return ''
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      operator: { type: 'string', default: process.env.LECHAT_OPERATOR_FILE ?? 'deploy/operator.env' },
      version: { type: 'string' },
      desc: { type: 'string' },
    },
  })
  const dryRun = values['dry-run'] ?? false
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  // A dry run builds into a scratch folder, leaving the developer's dist/ alone.
  const dist = dryRun ? mkdtempSync(join(tmpdir(), 'lechat-deploy-')) : join(root, 'dist')
  try {
    const plan = await makePlan({
      root,
      operatorFile: values.operator ?? 'deploy/operator.env',
      dist,
      env: process.env,
      version: values.version ?? pkg.version,
      description: values.desc ?? (lastCommitSubject() || `乐聊名片 ${pkg.version}`),
    })
    console.log(describePlan(plan))
    if (dryRun) {
      console.log('\ndry run: the plan is complete and valid; nothing was sent.')
      return
    }
    console.log('\ndeploying…')
    await applyPlan(plan, await cloudTarget(plan), (line) => console.log(`  ${line}`))
    console.log('\ndone. Finish the console steps above, then follow the checklist in the README.')
  } finally {
    if (dryRun) rmSync(dist, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof DeployError ? `deploy stopped: ${error.message}` : error)
    process.exit(1)
  },
)
