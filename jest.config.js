/**
 * Jest projects: `node` runs tests/**\/*.test.ts except the mini-program
 * tests, which get their own jsdom project.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
]

/** Dependencies published as ES modules only. */
const ESM_PACKAGES = ['jose', 'openid-client', 'oauth4webapi', 'opencc-js']

/**
 * Most tests take well under a second; those that drive dozens of calls take a few, and on a two-core machine
 * with the type check alongside and a cold transform cache several times that. 20 s keeps every test far from
 * its limit and still stops a hang; files that drive hundreds of calls set more. (A global setting: projects ignore it.)
 */
const TEST_TIMEOUT = 20_000

/** @type {import('jest').Config} */
module.exports = {
  // One worker per core (jest's default leaves one core to itself, which on two cores halves the suite's speed).
  maxWorkers: '100%',
  testTimeout: TEST_TIMEOUT,
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/miniprogram/'],
      // jose and openid-client ship ES modules only; jest's CommonJS runtime needs them transformed.
      transform: { '^.+\\.ts$': swc, [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: swc },
      transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
    },
    {
      // miniprogram-simulate renders components into jsdom; it loads each component's
      // .ts through require(), so the same swc transform applies.
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      rootDir: __dirname,
      testMatch: ['<rootDir>/tests/miniprogram/**/*.test.ts'],
      setupFiles: ['<rootDir>/tests/miniprogram/setup.ts'],
      transform: { '^.+\\.ts$': swc, [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: swc },
      transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
    },
  ],
}
